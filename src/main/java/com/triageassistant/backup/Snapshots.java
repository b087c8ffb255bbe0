package com.triageassistant.backup;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteException;
import org.apache.ignite.IgniteInterruptedException;
import org.apache.ignite.lang.IgniteFutureTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.stereotype.Component;

/**
 * Takes cluster-wide Ignite snapshots of every table and lists the ones this node holds. A snapshot is consistent
 * across tables and nodes (Ignite takes it at one checkpoint) and is taken while the app keeps serving.
 */
@Component
public class Snapshots {

    private static final Logger log = LoggerFactory.getLogger(Snapshots.class);

    private final Ignite ignite;
    private final BackupProperties props;
    private final Clock clock;

    Snapshots(Ignite ignite, BackupProperties props, Clock clock) {
        this.ignite = ignite;
        this.props = props;
        this.clock = clock;
    }

    /** This node's snapshots, newest first. */
    public List<SnapshotSummary> list() {
        return local().list();
    }

    /**
     * Takes a snapshot now, then deletes the app's snapshots beyond {@code triage.backup.keep} on every node.
     *
     * @throws SnapshotFailedException logged here once, with Ignite's reason (a snapshot already running, a full disk)
     */
    public SnapshotSummary take() {
        String name = SnapshotNames.at(clock.instant());
        long start = System.nanoTime();
        try {
            ignite.snapshot().createSnapshot(name).get(props.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (IgniteInterruptedException e) {
            Thread.currentThread().interrupt();
            log.info("Snapshot {} abandoned: this node is stopping", name);
            throw new SnapshotFailedException("Snapshot " + name + " abandoned: the node is stopping", false, e);
        } catch (IgniteFutureTimeoutException e) {
            throw failed(name, "not finished within triage.backup.timeout=" + props.timeout(), false, e);
        } catch (IgniteException e) {
            String reason = rootMessage(e);
            throw failed(name, reason, reason.contains("has been rejected"), e);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        SnapshotSummary taken = local().find(name).orElseGet(() ->
                new SnapshotSummary(name, clock.instant(), 0, true)); // this node held no part of it
        log.info("Took snapshot {} in {} ms ({} bytes on this node)", name, took.toMillis(), taken.sizeBytes());
        pruneEverywhere();
        return taken;
    }

    /** When the newest snapshot this app made was taken, as far as this node knows. */
    Optional<Instant> newestTakenAt() {
        return list().stream().filter(SnapshotSummary::madeByApp).findFirst().map(SnapshotSummary::takenAt);
    }

    private void pruneEverywhere() {
        try {
            ignite.compute(ignite.cluster().forServers()).broadcast(new PruneSnapshots(props.keep()));
        } catch (IgniteException e) {
            // The snapshot is taken; the old ones go at the next snapshot.
            log.warn("Could not apply snapshot retention on every node: {}", rootMessage(e));
        }
    }

    private SnapshotDirectory local() {
        return new SnapshotDirectory(Path.of(ignite.configuration().getSnapshotPath()));
    }

    private static SnapshotFailedException failed(String name, String reason, boolean rejected, Exception cause) {
        log.warn("Snapshot {} failed: {}", name, reason);
        return new SnapshotFailedException("Snapshot " + name + " failed: " + reason, rejected, cause);
    }

    private static String rootMessage(Throwable e) {
        Throwable root = NestedExceptionUtils.getMostSpecificCause(e);
        return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    }
}
