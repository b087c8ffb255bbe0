package com.triageassistant.privacy;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import com.triageassistant.store.ClusterLease;
import com.triageassistant.store.TenantPlacement;
import org.apache.ignite.Ignite;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;

/**
 * Runs each tenant's Personal Data Report when it is due, once per cluster however many nodes run.
 *
 * <p>Every node ticks, but a tenant's report runs only (1) on the node holding the tenant's primary partition
 * ({@link TenantPlacement}, where its other work runs, so node-local tenant locks serialise the erasures with
 * webhook writes), and (2) under a cluster lease named for the tenant ({@link ClusterLease#tryAcquire}), which
 * covers the moments during rebalancing when two nodes both believe they are primary. Under the lease the due time
 * is read again, so a node that lost the race sees the report already done and the next one scheduled. The due
 * time is persisted per tenant, so a restart neither reports early nor skips a report. A lease whose holder left
 * the cluster is taken over.
 */
@Component
class PersonalDataReporter implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PersonalDataReporter.class);
    private static final String LEASE_PREFIX = "personal-data-report:";

    private final ReportSchedule schedule;
    private final AccountReportCycle cycle;
    private final TenantPlacement placement;
    private final Ignite ignite;
    private final PrivacyProperties props;
    private final Clock clock;
    private ScheduledThreadPoolExecutor timer;

    PersonalDataReporter(ReportSchedule schedule, AccountReportCycle cycle, TenantPlacement placement, Ignite ignite,
                         PrivacyProperties props, Clock clock) {
        this.schedule = schedule;
        this.cycle = cycle;
        this.placement = placement;
        this.ignite = ignite;
        this.props = props;
        this.clock = clock;
    }

    @Override
    public synchronized void start() {
        if (!props.enabled()) {
            return;
        }
        timer = new ScheduledThreadPoolExecutor(1, new CustomizableThreadFactory("personal-data-report-"));
        timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        timer.scheduleWithFixedDelay(this::tick, props.pollInterval().toMillis(), props.pollInterval().toMillis(),
                TimeUnit.MILLISECONDS);
    }

    void tick() {
        try {
            schedule.scheduleNewTenants(clock.instant(), props.firstReportDelay());
            for (String clientKey : schedule.due(clock.instant())) {
                if (placement.isLocal(clientKey)) {
                    runExclusively(clientKey);
                }
            }
        } catch (RuntimeException e) {
            log.warn("Personal data reporting: tick failed; trying again at the next one", e);
        }
    }

    private void runExclusively(String clientKey) {
        Optional<ClusterLease> lease = ClusterLease.tryAcquire(ignite, LEASE_PREFIX + clientKey);
        if (lease.isEmpty()) {
            return; // another node is reporting this tenant right now
        }
        try {
            boolean stillDue = schedule.find(clientKey)
                    .map(status -> !status.nextReportAt().isAfter(clock.instant())).orElse(false);
            if (stillDue) {
                cycle.run(clientKey);
            }
        } catch (RuntimeException e) {
            // Not a Jira answer (those are handled in the cycle) but the store: keep the cycle due, try next time.
            schedule.failed(clientKey, clock.instant().plus(props.retryDelay()), e.getClass().getSimpleName());
            log.warn("Personal data report of tenant {} failed; retrying in {}", clientKey, props.retryDelay(), e);
        } finally {
            lease.get().release();
        }
    }

    @Override
    public synchronized void stop() {
        if (timer != null) {
            timer.shutdown();
            try {
                if (!timer.awaitTermination(10, TimeUnit.SECONDS)) {
                    timer.shutdownNow();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                timer.shutdownNow();
            }
            timer = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return timer != null;
    }
}
