package com.triageassistant.backup;

import java.nio.file.Path;

import org.apache.ignite.Ignite;
import org.apache.ignite.lang.IgniteRunnable;
import org.apache.ignite.resources.IgniteInstanceResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies retention to the snapshot directory of the node it runs on. Sent to every server node, because each holds
 * its own part of every snapshot and Ignite 2.17 has no call that deletes a snapshot cluster-wide.
 */
final class PruneSnapshots implements IgniteRunnable {

    private static final long serialVersionUID = 1L;
    private static final Logger log = LoggerFactory.getLogger(PruneSnapshots.class);

    private final int keep;
    @IgniteInstanceResource
    private transient Ignite ignite;

    PruneSnapshots(int keep) {
        this.keep = keep;
    }

    @Override
    public void run() {
        Path dir = Path.of(ignite.configuration().getSnapshotPath());
        try {
            new SnapshotDirectory(dir).prune(keep);
        } catch (RuntimeException e) {
            // Old snapshots only use disk until the next attempt; nothing the caller could do about it.
            log.warn("Could not delete old snapshots in {}: {}", dir, e.toString());
        }
    }
}
