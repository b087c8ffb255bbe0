package com.triageassistant.ingest;

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
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Durable work on a bounded pool: on every tick (or sooner, when woken) it asks the store what is due and hands
 * each item not already in flight to a worker. The store is the queue, so nothing is lost when the node stops;
 * items are processed at least once.
 */
final class WorkLoop<T> {

    private static final Logger log = LoggerFactory.getLogger(WorkLoop.class);

    private final String name;
    private final Supplier<List<T>> due;
    private final Function<T, String> idOf;
    private final Consumer<T> work;
    private final Duration tick;
    private final ScheduledThreadPoolExecutor timer;
    private final ThreadPoolExecutor workers;
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean pollQueued = new AtomicBoolean();
    private volatile boolean running;

    WorkLoop(String name, int threads, Duration tick, Supplier<List<T>> due, Function<T, String> idOf,
             Consumer<T> work) {
        this.name = name;
        this.due = due;
        this.idOf = idOf;
        this.work = work;
        this.tick = tick;
        this.timer = new ScheduledThreadPoolExecutor(1, new CustomizableThreadFactory(name + "-timer-"));
        // Delayed work left at shutdown belongs to the store's next start, not to a stopping node.
        this.timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.workers = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(threads * 4), new CustomizableThreadFactory(name + "-"));
    }

    void start() {
        running = true;
        timer.scheduleWithFixedDelay(this::poll, 0, tick.toMillis(), TimeUnit.MILLISECONDS);
    }

    boolean running() {
        return running;
    }

    /** Something became due: look now rather than at the next tick. */
    void wakeUp() {
        if (running && pollQueued.compareAndSet(false, true)) {
            try {
                timer.execute(this::poll);
            } catch (RejectedExecutionException stopping) {
                pollQueued.set(false);
            }
        }
    }

    /** Runs a side task on the timer thread after a delay (and repeatedly, if {@code every} is given). */
    void schedule(Runnable task, Duration delay, Duration every) {
        if (every == null) {
            timer.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
        } else {
            timer.scheduleWithFixedDelay(task, delay.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Runs a side task on a worker. @throws RejectedExecutionException when every worker and slot is busy */
    void execute(Runnable task) {
        workers.execute(task);
    }

    private void poll() {
        pollQueued.set(false);
        try {
            for (T item : due.get()) {
                String id = idOf.apply(item);
                if (!inFlight.add(id)) {
                    continue;
                }
                try {
                    workers.execute(() -> run(item, id));
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
            log.warn("{}: {} failed", name, id, e);
        } finally {
            inFlight.remove(id);
            wakeUp();
        }
    }

    void stop() {
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
