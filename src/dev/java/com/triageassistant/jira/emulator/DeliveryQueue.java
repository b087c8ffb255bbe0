package com.triageassistant.jira.emulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What webhooks and Forge invocations share on their way to the app: several in flight at once, the site's
 * {@link WebhookFaults} (duplicate, delay, hold and release out of order; drops are the sender's), retries after the
 * policy's delays, a record of every attempt, and a way to wait until nothing is left to send.
 *
 * @param <T> one delivery, as its sender needs it
 */
final class DeliveryQueue<T> implements AutoCloseable {

    /** What one try did; {@code retryBecause} is null when there is nothing to retry (delivered or refused for good). */
    record Tried(DeliveryAttempt attempt, String retryBecause) {
    }

    /** Sends one try of a delivery. */
    interface Sender<T> {
        /**
         * @param retryBecause why the previous try failed; null on the first
         * @return what happened, or null when nothing was sent (the app is gone) and nothing ever will be
         */
        Tried send(T delivery, int retry, String retryBecause, boolean duplicate);
    }

    private final WebhookFaults faults;
    private final List<Duration> retryDelays;
    private final Sender<T> sender;
    private final ScheduledExecutorService executor;
    private final List<DeliveryAttempt> attempts = Collections.synchronizedList(new ArrayList<>());
    private final List<T> held = new ArrayList<>();
    private final AtomicInteger pending = new AtomicInteger();

    DeliveryQueue(String threadName, WebhookFaults faults, List<Duration> retryDelays, Sender<T> sender) {
        this.faults = faults;
        this.retryDelays = List.copyOf(retryDelays);
        this.sender = sender;
        this.executor = Executors.newScheduledThreadPool(4, runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        });
    }

    void offer(T delivery) {
        pending.incrementAndGet();
        synchronized (held) {
            if (faults.holding()) {
                held.add(delivery);
                return;
            }
        }
        start(delivery);
    }

    /** Sends the held deliveries, in an order shuffled by {@code seed}. */
    void releaseHeld(long seed) {
        List<T> release;
        synchronized (held) {
            faults.stopHolding();
            release = new ArrayList<>(held);
            held.clear();
        }
        Collections.shuffle(release, new Random(seed));
        release.forEach(this::start);
    }

    private void start(T delivery) {
        boolean duplicate = faults.takeDuplicate();
        long delayMillis = faults.delay().toMillis();
        executor.schedule(() -> attempt(delivery, 0, null, false), delayMillis, TimeUnit.MILLISECONDS);
        if (duplicate) {
            pending.incrementAndGet();
            executor.schedule(() -> attempt(delivery, 0, null, true), delayMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void attempt(T delivery, int retry, String retryBecause, boolean duplicate) {
        Tried tried = sender.send(delivery, retry, retryBecause, duplicate);
        if (tried != null) {
            attempts.add(tried.attempt());
        }
        if (tried != null && tried.retryBecause() != null && retry < retryDelays.size() && !executor.isShutdown()) {
            executor.schedule(() -> attempt(delivery, retry + 1, tried.retryBecause(), duplicate),
                    retryDelays.get(retry).toMillis(), TimeUnit.MILLISECONDS);
        } else {
            pending.decrementAndGet();
        }
    }

    List<DeliveryAttempt> attempts() {
        synchronized (attempts) {
            return List.copyOf(attempts);
        }
    }

    /** Waits until every delivery succeeded or gave up; held ones count as waiting. */
    boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (pending.get() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
