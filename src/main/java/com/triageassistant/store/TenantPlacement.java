package com.triageassistant.store;

import org.apache.ignite.Ignite;
import org.springframework.stereotype.Component;

/**
 * Which node works for which tenant: the one holding the primary copy of the tenant's partition. Every tenant
 * table shares the affinity function and uses client_key as affinity key, so one table's placement is all tables'.
 * In a single-node cluster this node owns every tenant.
 */
@Component
public class TenantPlacement {

    static final String REFERENCE_CACHE = "issue";

    private final Ignite ignite;

    public TenantPlacement(Ignite ignite) {
        this.ignite = ignite;
    }

    public boolean isLocal(String clientKey) {
        return ignite.affinity(REFERENCE_CACHE).isPrimary(ignite.cluster().localNode(), clientKey);
    }
}
