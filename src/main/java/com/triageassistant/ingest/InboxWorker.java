package com.triageassistant.ingest;

import java.time.Clock;
import java.time.Duration;

import com.triageassistant.store.RetryDelays;
import com.triageassistant.store.TenantPlacement;
import com.triageassistant.store.WorkLoop;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Drains the inbox: at least once, a bounded number at a time, for the tenants this node owns. A failing delivery
 * is retried with exponential back-off and then parked as dead; content that can never be applied is parked at
 * once. Neither holds up the deliveries behind it.
 */
@Component
class InboxWorker implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(InboxWorker.class);
    /** How long a delivery that needs Jira waits when Jira gave no Retry-After. */
    private static final Duration JIRA_WAIT = Duration.ofSeconds(30);

    private final WebhookInbox inbox;
    private final DeliveryProcessor processor;
    private final IngestProperties props;
    private final RetryDelays retryDelays;
    private final Clock clock;
    private final WorkLoop<WebhookInbox.Delivery> loop;
    private final Counter parkedInvalid;
    private final Counter parkedFailing;

    InboxWorker(WebhookInbox inbox, DeliveryProcessor processor, TenantPlacement placement, IngestProperties props,
                Clock clock, MeterRegistry meters) {
        this.inbox = inbox;
        this.processor = processor;
        this.props = props;
        this.retryDelays = new RetryDelays(props.retryInitialDelay(), props.retryMaxDelay());
        this.clock = clock;
        this.loop = new WorkLoop<>("inbox", props.workerThreads(), props.batchSize(), props.pollInterval(),
                limit -> inbox.due(limit).stream()
                        .filter(delivery -> placement.isLocal(delivery.clientKey())).toList(),
                delivery -> delivery.clientKey() + "/" + delivery.deliveryId(), this::handle);
        this.parkedInvalid = parked(meters, "invalid");
        this.parkedFailing = parked(meters, "attempts");
    }

    private static Counter parked(MeterRegistry meters, String reason) {
        return Counter.builder("triage.inbox.parked")
                .description("deliveries parked as dead: invalid content, or out of attempts")
                .tag("reason", reason).register(meters);
    }

    @Override
    public void start() {
        loop.start();
        loop.schedule(this::purge, Duration.ofMinutes(1), Duration.ofHours(1));
    }

    /** New deliveries arrived. */
    void wakeUp() {
        loop.wakeUp();
    }

    private void handle(WebhookInbox.Delivery delivery) {
        try {
            processor.process(delivery);
            inbox.markDone(delivery);
        } catch (InvalidPayloadException e) {
            log.warn("Parking delivery {} of tenant {}: {}", delivery.deliveryId(), delivery.clientKey(), e.getMessage());
            inbox.park(delivery, "invalid content: " + e.getMessage());
            parkedInvalid.increment();
        } catch (JiraUnreachable e) {
            // Waiting for Jira (a 429, an outage, no app token until Forge's next call) is not the delivery's fault:
            // it waits without using up its attempts.
            Duration wait = e.retryAfter() != null ? e.retryAfter() : JIRA_WAIT;
            inbox.postpone(delivery, clock.instant().plus(wait), e.getMessage());
        } catch (RuntimeException e) {
            failed(delivery, e);
        }
    }

    private void failed(WebhookInbox.Delivery delivery, RuntimeException e) {
        String error = e.getClass().getSimpleName() + ": " + e.getMessage();
        if (delivery.attempts() + 1 >= props.maxAttempts()) {
            log.warn("Parking delivery {} of tenant {} after {} attempts: {}", delivery.deliveryId(),
                    delivery.clientKey(), delivery.attempts() + 1, error);
            inbox.park(delivery, error);
            parkedFailing.increment();
        } else {
            // If even this fails, the row stays pending and due: the next poll tries again.
            inbox.retryLater(delivery, clock.instant().plus(retryDelays.afterFailures(delivery.attempts() + 1)), error);
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
        loop.stop();
    }

    @Override
    public boolean isRunning() {
        return loop.running();
    }
}
