package com.triageassistant.backup;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.triageassistant.store.ClusterSingleton;
import com.triageassistant.store.ClusterSingletons;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;

/**
 * Takes snapshots on {@code triage.backup.schedule}. An Ignite snapshot covers the whole cluster, so one node (a
 * {@link ClusterSingleton}) takes it; another takes over the schedule when that node leaves. A failed snapshot is
 * logged by {@link Snapshots} and waits for its next turn: backups never stop the app.
 */
@Component
class ScheduledSnapshots implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ScheduledSnapshots.class);
    static final String SCHEDULER = "snapshot-scheduler";

    private final Snapshots snapshots;
    private final ClusterSingletons singletons;
    private final BackupProperties props;
    private final SnapshotSchedule schedule;
    private final Clock clock;
    private volatile boolean running;

    ScheduledSnapshots(Snapshots snapshots, ClusterSingletons singletons, BackupProperties props, Clock clock) {
        this.snapshots = snapshots;
        this.singletons = singletons;
        this.props = props;
        this.schedule = SnapshotSchedule.parse(props.schedule());
        this.clock = clock;
    }

    @Override
    public void start() {
        running = true;
        if (props.enabled()) {
            singletons.offer(SCHEDULER, new Scheduler());
        }
    }

    @Override
    public void stop() {
        running = false;
        if (props.enabled()) {
            singletons.withdraw(SCHEDULER);
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private final class Scheduler implements ClusterSingleton {

        private ScheduledExecutorService timer;

        @Override
        public void start() {
            timer = Executors.newSingleThreadScheduledExecutor(new CustomizableThreadFactory("snapshot-schedule-"));
            scheduleNext();
        }

        @Override
        public void stop() {
            timer.shutdownNow();
        }

        private void scheduleNext() {
            Instant now = clock.instant();
            Instant next = schedule.next(now, newestTakenAt());
            log.info("Next scheduled snapshot at {}", next);
            timer.schedule(this::takeAndReschedule, Duration.between(now, next).toMillis(), TimeUnit.MILLISECONDS);
        }

        private void takeAndReschedule() {
            try {
                snapshots.take();
            } catch (SnapshotFailedException e) {
                // Logged where it failed; the schedule goes on.
            } catch (RuntimeException e) {
                log.warn("Scheduled snapshot failed: {}", e.toString());
            }
            if (!timer.isShutdown()) {
                scheduleNext();
            }
        }

        private Optional<Instant> newestTakenAt() {
            try {
                return snapshots.newestTakenAt();
            } catch (RuntimeException e) {
                log.warn("Cannot read the snapshot directory: {}", e.toString());
                return Optional.empty();
            }
        }
    }
}
