package com.triageassistant.store;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntFunction;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Durable work on a bounded pool: on every tick (or sooner, when woken) it asks the store what is due and hands
 * each item not already in flight to a worker. The store is the queue, so nothing is lost when the node stops;
 * items are processed at least once.
 *
 * <p>It asks only when at least half its capacity (workers plus queue) is free, and then for no more than fills
 * it: under a burst, asking on every new item or every finished one would cost more than the work itself.
 */
public final class WorkLoop<T> {

    private static final Logger log = LoggerFactory.getLogger(WorkLoop.class);

    private final String name;
    private final IntFunction<List<T>> due;
    private final Function<T, String> idOf;
    private final Consumer<T> work;
    private final Duration tick;
    private final ScheduledThreadPoolExecutor timer;
    private final ThreadPoolExecutor workers;
    private final int capacity;
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean pollQueued = new AtomicBoolean();
    private volatile boolean running;

    /**
     * @param queued how many items may wait for a worker
     * @param due    the store's due items, oldest first, at most the given number (which includes those in flight)
     */
    public WorkLoop(String name, int threads, int queued, Duration tick, IntFunction<List<T>> due,
             Function<T, String> idOf, Consumer<T> work) {
        this.name = name;
        this.due = due;
        this.idOf = idOf;
        this.work = work;
        this.tick = tick;
        this.timer = new ScheduledThreadPoolExecutor(1, new CustomizableThreadFactory(name + "-timer-"));
        // Delayed work left at shutdown belongs to the store's next start, not to a stopping node.
        this.timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.workers = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(queued), new CustomizableThreadFactory(name + "-"));
        this.capacity = threads + queued;
    }

    public void start() {
        running = true;
        timer.scheduleWithFixedDelay(this::poll, 0, tick.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean running() {
        return running;
    }

    /** Something became due: look now rather than at the next tick, if there is room for it. */
    public void wakeUp() {
        if (running && inFlight.size() <= capacity / 2 && pollQueued.compareAndSet(false, true)) {
            try {
                timer.execute(this::poll);
            } catch (RejectedExecutionException stopping) {
                pollQueued.set(false);
            }
        }
    }

    /** Runs a side task on the timer thread after a delay (and repeatedly, if {@code every} is given). */
    public void schedule(Runnable task, Duration delay, Duration every) {
        if (every == null) {
            timer.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
        } else {
            timer.scheduleWithFixedDelay(task, delay.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Runs a side task on a worker. @throws RejectedExecutionException when every worker and slot is busy */
    public void execute(Runnable task) {
        workers.execute(task);
    }

    private void poll() {
        pollQueued.set(false);
        int room = capacity - inFlight.size();
        if (room <= 0) {
            return;
        }
        try {
            for (T item : due.apply(capacity)) {
                if (room == 0) {
                    break;
                }
                String id = idOf.apply(item);
                if (!inFlight.add(id)) {
                    continue;
                }
                try {
                    workers.execute(() -> run(item, id));
                    room--;
                } catch (RejectedExecutionException full) {
                    inFlight.remove(id);
                    break;
                }
            }
        } catch (RuntimeException e) {
            log.warn("{}: poll failed; retrying at the next tick", name, e);
        }
    }

    private void run(T item, String id) {
        try {
            work.accept(item);
        } catch (RuntimeException e) {
            if (running) {
                log.warn("{}: {} failed", name, id, e);
            } else {
                // The store still has it due: the next start (or another node) does it again.
                log.info("{}: {} stopped by the shutdown ({})", name, id, e.toString());
            }
        } finally {
            inFlight.remove(id);
            wakeUp();
        }
    }

    public void stop() {
        running = false;
        // Let a poll that is mid-query finish rather than interrupt Ignite under it.
        timer.shutdown();
        workers.shutdown();
        try {
            if (!workers.awaitTermination(10, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            workers.shutdownNow();
        }
    }
}
