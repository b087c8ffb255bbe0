package com.triageassistant.ingest;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import com.triageassistant.operations.SampledGauges;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * The inbox's backlog and the open backfills, as gauges. They count the whole cluster's rows (every node reports
 * the same values), sampled by {@link SampledGauges} rather than queried per scrape.
 */
@Component
class IngestGauges {

    private final Clock clock;
    private final AtomicReference<WebhookInbox.Backlog> backlog = new AtomicReference<>(
            new WebhookInbox.Backlog(0, null, 0));
    private volatile long openBackfills;

    IngestGauges(WebhookInbox inbox, BackfillRepository backfills, SampledGauges sampled, MeterRegistry meters,
                 Clock clock) {
        this.clock = clock;
        Gauge.builder("triage.inbox.pending", backlog, b -> b.get().pending())
                .description("deliveries accepted and not yet processed (cluster-wide)").register(meters);
        Gauge.builder("triage.inbox.oldest.pending.age", this, IngestGauges::oldestPendingSeconds)
                .baseUnit("seconds")
                .description("how long the oldest pending delivery has waited since it arrived; 0 when none")
                .register(meters);
        Gauge.builder("triage.inbox.dead", backlog, b -> b.get().dead())
                .description("deliveries parked as dead, waiting for an admin's replay (cluster-wide)").register(meters);
        Gauge.builder("triage.backfill.active", this, gauges -> gauges.openBackfills)
                .description("project backfills pending or running (cluster-wide)").register(meters);
        sampled.add(() -> backlog.set(inbox.backlog()));
        sampled.add(() -> openBackfills = backfills.countOpen());
    }

    /** Computed at scrape time from the sampled arrival, so it keeps growing between samples. */
    private double oldestPendingSeconds() {
        Instant oldest = backlog.get().oldestPending();
        return oldest == null ? 0 : Math.max(0, Duration.between(oldest, clock.instant()).toMillis() / 1000.0);
    }
}
