package com.triageassistant.store;

import java.util.Collection;

import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.cluster.BaselineNode;
import org.apache.ignite.cluster.ClusterState;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;
import org.springframework.stereotype.Component;

/** UP only while the local node runs and the cluster is active (a stopped node means a critical failure). */
@Component
public class IgniteHealthIndicator extends AbstractHealthIndicator {

    private final Ignite ignite;

    public IgniteHealthIndicator(Ignite ignite) {
        super("Ignite node state unavailable");
        this.ignite = ignite;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        ClusterState state = ignite.cluster().state();
        Collection<BaselineNode> baseline = ignite.cluster().currentBaselineTopology();
        builder.status(state.active() ? Status.UP : Status.DOWN)
                .withDetail("node", String.valueOf(ignite.cluster().localNode().consistentId()))
                .withDetail("clusterState", state.name())
                .withDetail("serverNodes", ignite.cluster().forServers().nodes().size())
                .withDetail("baselineNodes", baseline == null ? 0 : baseline.size())
                .withDetail("rebalanced", rebalanced());
    }

    /**
     * Whether this node holds every partition it is to hold (none still MOVING towards it): a rolling restart takes
     * the next node down only once every node says so, or a partition could be left with its only copy on the node
     * going down. (Ignite's {@code cluster.Rebalanced} metric stayed false on a settled persistent cluster.)
     */
    private boolean rebalanced() {
        for (String name : ignite.cacheNames()) {
            IgniteCache<?, ?> cache = ignite.cache(name);
            if (cache != null && cache.localMetrics().getRebalancingPartitionsCount() > 0) {
                return false;
            }
        }
        return true;
    }
}
