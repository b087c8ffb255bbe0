package com.triageassistant.store;

import org.apache.ignite.Ignite;
import org.springframework.stereotype.Component;

/**
 * Runs a tenant's job through Ignite compute on the node holding the primary copy of the tenant's data
 * ({@code affinityRun}), so it reads and writes locally. If that node dies while the job runs, Ignite's failover
 * re-maps the job to the tenant's new primary. The job's durable row stays the truth: a job is done only when its
 * row says so, so a job cut off with its caller is found again by whoever dispatches due jobs.
 */
@Component
public class TenantCompute {

    private final Ignite ignite;

    public TenantCompute(Ignite ignite) {
        this.ignite = ignite;
    }

    /** This node runs jobs of {@code kind} with {@code handler} from now on. */
    public void handle(String kind, TenantJobHandler handler) {
        NodeLocalRegistry.of(ignite).put(TenantJob.registryName(kind), handler);
    }

    public void stopHandling(String kind) {
        NodeLocalRegistry.of(ignite).remove(TenantJob.registryName(kind));
    }

    /** Runs the job on the tenant's node and returns when it ended there (or failed for good). */
    public void run(String kind, String clientKey, String key) {
        ignite.compute().affinityRun(TenantPlacement.REFERENCE_CACHE, clientKey, new TenantJob(kind, clientKey, key));
    }
}
