package com.triageassistant.ingest;

import java.time.Clock;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.triageassistant.store.TenantPlacement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;

/**
 * Drains the inbox: at least once, a bounded number at a time, for the tenants this node owns. A failing delivery
 * is retried with exponential back-off and then parked as dead; content that can never be applied is parked at
 * once. Neither holds up the deliveries behind it.
 */
@Component
class InboxWorker implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(InboxWorker.class);

    private final WebhookInbox inbox;
    private final DeliveryProcessor processor;
    private final TenantPlacement placement;
    private final IngestProperties props;
    private final RetryDelays retryDelays;
    private final Clock clock;
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean pollQueued = new AtomicBoolean();
    private ScheduledExecutorService scheduler;
    private ThreadPoolExecutor workers;
    private volatile boolean running;

    InboxWorker(WebhookInbox inbox, DeliveryProcessor processor, TenantPlacement placement, IngestProperties props,
                Clock clock) {
        this.inbox = inbox;
        this.processor = processor;
        this.placement = placement;
        this.props = props;
        this.retryDelays = new RetryDelays(props.retryInitialDelay(), props.retryMaxDelay());
        this.clock = clock;
    }

    @Override
    public void start() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, new CustomizableThreadFactory("inbox-poller-"));
        timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        scheduler = timer;
        workers = new ThreadPoolExecutor(props.workerThreads(), props.workerThreads(), 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(props.batchSize() * 2), new CustomizableThreadFactory("inbox-worker-"));
        running = true;
        scheduler.scheduleWithFixedDelay(this::poll, 0, props.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(this::purge, 1, 60, TimeUnit.MINUTES);
    }

    /** New deliveries arrived: look now rather than at the next poll. */
    void wakeUp() {
        if (running && pollQueued.compareAndSet(false, true)) {
            try {
                scheduler.execute(this::poll);
            } catch (RejectedExecutionException stopping) {
                pollQueued.set(false);
            }
        }
    }

    private void poll() {
        pollQueued.set(false);
        try {
            for (WebhookInbox.Delivery delivery : inbox.due(props.batchSize())) {
                String id = delivery.clientKey() + "/" + delivery.deliveryId();
                if (!placement.isLocal(delivery.clientKey()) || !inFlight.add(id)) {
                    continue;
                }
                try {
                    workers.execute(() -> handle(delivery, id));
                } catch (RejectedExecutionException full) {
                    inFlight.remove(id);
                    break;
                }
            }
        } catch (RuntimeException e) {
            log.warn("Inbox poll failed; retrying at the next poll", e);
        }
    }

    private void handle(WebhookInbox.Delivery delivery, String id) {
        try {
            processor.process(delivery);
            inbox.markDone(delivery);
        } catch (InvalidPayloadException e) {
            log.warn("Parking delivery {} of tenant {}: {}", delivery.deliveryId(), delivery.clientKey(), e.getMessage());
            inbox.park(delivery, "invalid content: " + e.getMessage());
        } catch (RuntimeException e) {
            failed(delivery, e);
        } finally {
            inFlight.remove(id);
        }
        if (running) {
            wakeUp();
        }
    }

    private void failed(WebhookInbox.Delivery delivery, RuntimeException e) {
        String error = e.getClass().getSimpleName() + ": " + e.getMessage();
        try {
            if (delivery.attempts() + 1 >= props.maxAttempts()) {
                log.warn("Parking delivery {} of tenant {} after {} attempts: {}", delivery.deliveryId(),
                        delivery.clientKey(), delivery.attempts() + 1, error);
                inbox.park(delivery, error);
            } else {
                inbox.retryLater(delivery, clock.instant().plus(retryDelays.afterFailures(delivery.attempts() + 1)), error);
            }
        } catch (RuntimeException storeDown) {
            // The row stays pending and due; the next poll tries again.
            log.warn("Could not record the failure of delivery {}", delivery.deliveryId(), storeDown);
        }
    }

    private void purge() {
        try {
            long purged = inbox.purgeDone(clock.instant().minus(props.doneRetention()));
            if (purged > 0) {
                log.info("Forgot {} processed deliveries older than {}", purged, props.doneRetention());
            }
        } catch (RuntimeException e) {
            log.warn("Inbox purge failed", e);
        }
    }

    @Override
    public void stop() {
        running = false;
        // Let a poll that is mid-query finish rather than interrupt Ignite under it.
        scheduler.shutdown();
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

    @Override
    public boolean isRunning() {
        return running;
    }
}
