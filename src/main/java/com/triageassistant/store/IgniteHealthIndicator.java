package com.triageassistant.store;

import java.util.Collection;

import org.apache.ignite.Ignite;
import org.apache.ignite.cluster.BaselineNode;
import org.apache.ignite.cluster.ClusterState;
import org.apache.ignite.spi.metric.BooleanMetric;
import org.apache.ignite.spi.metric.ReadOnlyMetricRegistry;
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
     * Whether every partition has all its copies where the current baseline wants them (Ignite's
     * {@code cluster.Rebalanced}): a rolling restart takes the next node down only once this is true again, or a
     * partition could be left with its only copy on the node going down.
     */
    private boolean rebalanced() {
        for (ReadOnlyMetricRegistry registry : ignite.metrics()) {
            if (registry.name().equals("cluster") && registry.findMetric("Rebalanced") instanceof BooleanMetric metric) {
                return metric.value();
            }
        }
        return false;
    }
}
