package com.triageassistant.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.ignite.Ignite;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code triage.backup.restore-from}: brings a snapshot's tables back at start-up, before the schema migration and
 * everything else use them. Ignite restores only tables that do not exist, so this restores only into a cluster
 * holding no tables yet (nodes started on emptied work directories) and otherwise leaves the data alone: a
 * property left set after the restore can never roll data back at a later restart.
 *
 * <p>The snapshot's own copies of the caches the app creates before any table ({@link ClusterLease}'s and
 * {@link IgniteSql}'s gateway, or an older version's gateway) are left out: they already exist by now, or should not,
 * and hold nothing worth restoring.
 */
final class SnapshotRestore {

    private static final Logger log = LoggerFactory.getLogger(SnapshotRestore.class);
    private static final Set<String> INFRASTRUCTURE = Set.of(ClusterLease.CACHE, IgniteSql.GATEWAY_CACHE,
            IgniteSql.LEGACY_GATEWAY_CACHE);

    private final Ignite ignite;
    private final Duration lockTimeout;
    private final Duration restoreTimeout;

    SnapshotRestore(Ignite ignite, Duration lockTimeout, Duration restoreTimeout) {
        this.ignite = ignite;
        this.lockTimeout = lockTimeout;
        this.restoreTimeout = restoreTimeout;
    }

    void restoreIntoEmptyCluster(String snapshot) {
        // The migration lease: a node starting alongside must not create empty tables under the restore's feet.
        ClusterLease lease = ClusterLease.acquire(ignite, SchemaMigrator.LOCK_KEY, lockTimeout);
        try {
            List<String> existing = ignite.cacheNames().stream().filter(name -> !INFRASTRUCTURE.contains(name))
                    .toList();
            if (!existing.isEmpty()) {
                log.warn("triage.backup.restore-from={} ignored: the cluster already holds {} tables. To restore, stop "
                        + "every node and move its work directory's db folder away (see docs/backups.md)",
                        snapshot, existing.size());
                return;
            }
            Set<String> groups = cacheGroups(snapshot);
            log.info("Restoring snapshot {} ({} tables)", snapshot, groups.size());
            long start = System.nanoTime();
            ignite.snapshot().restoreSnapshot(snapshot, groups).get(restoreTimeout.toMillis(), TimeUnit.MILLISECONDS);
            log.info("Restored snapshot {} in {} ms", snapshot,
                    Duration.ofNanos(System.nanoTime() - start).toMillis());
        } finally {
            lease.release();
        }
    }

    /** The cache groups (one per table here) in this node's part of the snapshot: {@code db/<node>/cache-<name>}. */
    private Set<String> cacheGroups(String snapshot) {
        Path root = Path.of(ignite.configuration().getSnapshotPath());
        Path db = root.resolve(snapshot).resolve("db");
        if (!Files.isDirectory(db)) {
            throw new IllegalStateException("triage.backup.restore-from: no snapshot " + snapshot + " in " + root
                    + " (triage.backup.snapshot-dir); it holds " + list(root));
        }
        Set<String> groups = new TreeSet<>();
        try (Stream<Path> dirs = Files.walk(db, 2)) {
            dirs.filter(Files::isDirectory).map(dir -> dir.getFileName().toString()).forEach(dir -> {
                if (dir.startsWith("cacheGroup-")) {
                    groups.add(dir.substring("cacheGroup-".length()));
                } else if (dir.startsWith("cache-")) {
                    groups.add(dir.substring("cache-".length()));
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read snapshot " + snapshot + " in " + root, e);
        }
        groups.removeAll(INFRASTRUCTURE);
        return groups;
    }

    private static List<String> list(Path root) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.map(dir -> dir.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
