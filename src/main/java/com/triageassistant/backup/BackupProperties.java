package com.triageassistant.backup;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Ignite snapshots of all the app's data (see docs/backups.md).
 *
 * @param enabled        take snapshots on {@code schedule}; on-demand snapshots and restores work either way
 * @param schedule       a Spring cron expression in UTC ({@code 0 0 3 * * *}) or an interval ({@code 6h}) counted
 *                       from the newest snapshot this app made
 * @param snapshotDir    where this node writes its part of every snapshot; default {@code <work-dir>/snapshots}, on
 *                       the data's own volume, which does not survive losing that volume
 * @param keep           how many of the app's own snapshots each node keeps; older ones are deleted, snapshots
 *                       named otherwise (an operator's) never are
 * @param timeout        how long taking or restoring one snapshot may take before it is reported as failed
 * @param restoreFrom    at start-up, restore this snapshot into a cluster that holds no tables yet (a node started
 *                       on an emptied work directory); ignored, with a warning, when the cluster holds data
 */
@ConfigurationProperties("triage.backup")
public record BackupProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("0 0 3 * * *") String schedule,
        Path snapshotDir,
        @DefaultValue("7") int keep,
        @DefaultValue("30m") Duration timeout,
        String restoreFrom) {

    public BackupProperties {
        if (keep < 1) {
            throw new IllegalArgumentException("triage.backup.keep must be at least 1, was " + keep);
        }
        SnapshotSchedule.parse(schedule); // a typo fails the start, not the first snapshot hours later
    }

    public static BackupProperties defaults() {
        return new BackupProperties(true, "0 0 3 * * *", null, 7, Duration.ofMinutes(30), null);
    }

    /** The configured directory, or {@code snapshots} under the Ignite work directory. */
    public Path snapshotDir(Path workDir) {
        return (snapshotDir == null ? workDir.resolve("snapshots") : snapshotDir).toAbsolutePath();
    }

    public boolean restoreRequested() {
        return restoreFrom != null && !restoreFrom.isBlank();
    }
}
