package com.triageassistant.store;

import java.util.concurrent.locks.ReentrantLock;

import org.springframework.stereotype.Component;

/**
 * Serialises a tenant's writes on this node: "is the incoming version newer?" and the write that follows cannot
 * interleave with another worker's, and erasing a tenant cannot interleave with writing to it. A tenant's work runs
 * on the node that owns its data, so a node-local lock is enough. Striped: tenants share a fixed set of locks.
 */
@Component
public class TenantLocks {

    private final ReentrantLock[] stripes = new ReentrantLock[64];

    public TenantLocks() {
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    public ReentrantLock of(String clientKey) {
        return stripes[Math.floorMod(clientKey.hashCode(), stripes.length)];
    }
}
