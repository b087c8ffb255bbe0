package com.triageassistant.backup;

import java.time.Instant;

/**
 * One snapshot as this node holds it (in a cluster each node holds its own part).
 *
 * @param name      what {@code triage.backup.restore-from} takes
 * @param takenAt   from the name for the app's own snapshots, else when Ignite finished writing it here
 * @param sizeBytes this node's part on disk
 * @param madeByApp named by this app, so subject to {@code triage.backup.keep}
 */
public record SnapshotSummary(String name, Instant takenAt, long sizeBytes, boolean madeByApp) {
}
