package com.triageassistant.store;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.cache.CacheAtomicityMode;
import org.apache.ignite.cache.CacheMode;
import org.apache.ignite.cache.CacheWriteSynchronizationMode;
import org.apache.ignite.configuration.CacheConfiguration;

/**
 * A cluster-wide mutual exclusion held by one node: an entry naming the holder's node id. A lease whose holder
 * is no longer in the topology (it died, or restarted with a new id) is taken over.
 *
 * <p>Why not Ignite's own locks: an {@code IgniteLock} sometimes never initialised on a node that joined while
 * another was activating the cluster, and an explicit cache lock opens a transaction, inside which DDL is refused.
 */
public final class ClusterLease {

    static final String CACHE = "triage_leases";
    private static final long POLL_MILLIS = 50;

    private final IgniteCache<String, UUID> leases;
    private final String name;
    private final UUID holder;

    private ClusterLease(IgniteCache<String, UUID> leases, String name, UUID holder) {
        this.leases = leases;
        this.name = name;
        this.holder = holder;
    }

    static ClusterLease acquire(Ignite ignite, String name, Duration timeout) {
        IgniteCache<String, UUID> leases = leases(ignite);
        UUID self = ignite.cluster().localNode().id();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!leases.putIfAbsent(name, self)) {
            UUID current = leases.get(name);
            if (current != null && ignite.cluster().node(current) == null) {
                leases.remove(name, current);
                continue;
            }
            if (System.nanoTime() > deadline) {
                throw new SchemaMigrationException("Timed out after " + timeout + " waiting for lease '" + name
                        + "' held by node " + current);
            }
            sleep();
        }
        return new ClusterLease(leases, name, self);
    }

    /**
     * Takes the lease if no live node holds it, without waiting: for periodic work that any node may do but only
     * one at a time; a node that finds it taken leaves the turn to the holder.
     */
    public static Optional<ClusterLease> tryAcquire(Ignite ignite, String name) {
        IgniteCache<String, UUID> leases = leases(ignite);
        UUID self = ignite.cluster().localNode().id();
        for (int attempt = 0; attempt < 2; attempt++) {
            if (leases.putIfAbsent(name, self)) {
                return Optional.of(new ClusterLease(leases, name, self));
            }
            UUID current = leases.get(name);
            if (current == null || ignite.cluster().node(current) != null) {
                return Optional.empty();
            }
            leases.remove(name, current); // its holder left the cluster mid-work
        }
        return Optional.empty();
    }

    private static IgniteCache<String, UUID> leases(Ignite ignite) {
        return ignite.getOrCreateCache(new CacheConfiguration<String, UUID>(CACHE)
                .setCacheMode(CacheMode.PARTITIONED)
                .setBackups(1)
                // A backup copy may lag during rebalancing; the holder must be read where it was written.
                .setReadFromBackup(false)
                .setAtomicityMode(CacheAtomicityMode.ATOMIC)
                .setWriteSynchronizationMode(CacheWriteSynchronizationMode.FULL_SYNC));
    }

    public void release() {
        leases.remove(name, holder);
    }

    private static void sleep() {
        try {
            TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaMigrationException("Interrupted while waiting for a cluster lease", e);
        }
    }
}
