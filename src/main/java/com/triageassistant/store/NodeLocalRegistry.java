package com.triageassistant.store;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.apache.ignite.Ignite;

/**
 * What Ignite jobs and services arriving on this node find of this node's Spring beans: handlers by name. It lives
 * in Ignite's node-local map, so a job reaches the beans of the node it runs on without static state, and several
 * nodes in one JVM (tests) each have their own. A job may arrive before this node's beans registered (a node that
 * just joined): it can wait for the name to appear.
 */
final class NodeLocalRegistry {

    private static final String KEY = "triage.node-local-registry";

    private final ConcurrentMap<String, CompletableFuture<Object>> entries = new ConcurrentHashMap<>();

    static NodeLocalRegistry of(Ignite ignite) {
        ConcurrentMap<String, Object> nodeLocal = ignite.cluster().nodeLocalMap();
        return (NodeLocalRegistry) nodeLocal.computeIfAbsent(KEY, key -> new NodeLocalRegistry());
    }

    void put(String name, Object value) {
        if (!slot(name).complete(value)) {
            entries.put(name, CompletableFuture.completedFuture(value));
        }
    }

    Object remove(String name) {
        CompletableFuture<Object> removed = entries.remove(name);
        return removed == null ? null : removed.getNow(null);
    }

    /** Completes when {@code name} is registered (at once if it is). */
    CompletableFuture<Object> slot(String name) {
        return entries.computeIfAbsent(name, key -> new CompletableFuture<>());
    }

    Object await(String name, Duration timeout) throws Exception {
        return slot(name).get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }
}
