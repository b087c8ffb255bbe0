package com.triageassistant.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import com.triageassistant.support.NodeSpec;
import org.apache.ignite.Ignite;
import org.apache.ignite.cache.CacheMode;
import org.apache.ignite.configuration.CacheConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clusters created by earlier versions kept a partitioned SQL gateway cache, whose lost partitions stop a dead
 * node from leaving the baseline: the app's SQL must go through a replicated one and the old one must be gone.
 */
class IgniteSqlGatewayTest {

    @TempDir
    Path dataDir;

    @Test
    void aPartitionedGatewayOfAnEarlierVersionIsReplacedByAReplicatedOne() {
        NodeSpec spec = NodeSpec.single(dataDir);
        try (Ignite node = TestNodes.start(spec)) {
            node.getOrCreateCache(new CacheConfiguration<>(IgniteSql.LEGACY_GATEWAY_CACHE).setSqlSchema("PUBLIC")
                    .setCacheMode(CacheMode.PARTITIONED));
        }
        try (Ignite node = TestNodes.start(spec)) {
            IgniteSql sql = new IgniteSql(node);

            assertThat(node.cacheNames()).doesNotContain(IgniteSql.LEGACY_GATEWAY_CACHE);
            assertThat(node.cacheNames()).filteredOn(name -> name.startsWith("triage_sql")).isNotEmpty()
                    .allSatisfy(name -> assertThat(node.cache(name).getConfiguration(CacheConfiguration.class)
                            .getCacheMode()).isEqualTo(CacheMode.REPLICATED));
            assertThat(sql.query("SELECT 1", row -> row.longValue(0))).containsExactly(1L);
        }
    }
}
