package com.triageassistant.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.triageassistant.support.AppInstance;
import com.triageassistant.support.NodeSpec;
import org.apache.ignite.Ignite;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class SchemaMigratorTest {

    private static final String V2 = "classpath*:schema-test/v2/V*__*.sql";
    private static final String V3 = "classpath*:schema-test/v3/V*__*.sql";

    @TempDir
    Path dataDir;

    @Test
    void appliesEachScriptOnceAcrossRestarts() {
        NodeSpec spec = NodeSpec.single(dataDir);
        try (Ignite node = TestNodes.start(spec)) {
            assertThat(migrate(node, V2)).containsExactly(1, 2);
            assertThat(migrate(node, V2)).isEmpty();
        }
        try (Ignite node = TestNodes.start(spec)) {
            assertThat(migrate(node, V3)).containsExactly(3);
            assertThat(migrate(node, V3)).isEmpty();

            assertThat(logCounts(node)).isEqualTo(Map.of("V2", 1L, "V3", 1L, "V3-literal", 1L));
            assertThat(new IgniteSql(node).query("SELECT version, applied_by FROM schema_version ORDER BY version",
                    row -> row.intValue(0) + "@" + row.string(1)))
                    .containsExactly("1@" + spec.consistentId(), "2@" + spec.consistentId(),
                            "3@" + spec.consistentId());
        }
    }

    @RepeatedTest(5)
    @Timeout(120)
    void twoNodesStartingTogetherApplyEachScriptOnce() throws Exception {
        List<NodeSpec> specs = NodeSpec.cluster(dataDir, 2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        CyclicBarrier barrier = new CyclicBarrier(2);
        List<Ignite> nodes = new ArrayList<>();
        try {
            List<CompletableFuture<List<Integer>>> runs = specs.stream()
                    .map(spec -> CompletableFuture.supplyAsync(() -> {
                        Ignite node = TestNodes.start(spec);
                        synchronized (nodes) {
                            nodes.add(node);
                        }
                        await(barrier);
                        return migrate(node, V3);
                    }, pool)).toList();

            List<Integer> applied = new ArrayList<>();
            for (CompletableFuture<List<Integer>> run : runs) {
                applied.addAll(run.get());
            }

            assertThat(applied).containsExactlyInAnyOrder(1, 2, 3);
            assertThat(nodes.get(0).cluster().forServers().nodes()).hasSize(2);
            assertThat(logCounts(nodes.get(0))).isEqualTo(Map.of("V2", 1L, "V3", 1L, "V3-literal", 1L));
        } finally {
            nodes.forEach(Ignite::close);
            pool.shutdownNow();
        }
    }

    @Test
    void failingScriptStopsWithAMessageNamingIt() {
        try (Ignite node = TestNodes.start(NodeSpec.single(dataDir))) {
            assertThatThrownBy(() -> migrate(node, "classpath*:schema-test/broken/V*__*.sql"))
                    .isInstanceOf(SchemaMigrationException.class)
                    .hasMessageContaining("V2__broken.sql failed at statement 2 of 2");
            assertThat(new IgniteSql(node).query("SELECT version FROM schema_version", row -> row.intValue(0)))
                    .containsExactly(1);
        }
    }

    @Test
    void scriptEditedAfterItWasAppliedIsRefused() {
        try (Ignite node = TestNodes.start(NodeSpec.single(dataDir))) {
            migrate(node, V2);

            assertThatThrownBy(() -> migrate(node, "classpath*:schema-test/changed/V*__*.sql"))
                    .isInstanceOf(SchemaMigrationException.class)
                    .hasMessageContaining("V1__create_log.sql was changed after it was applied");
        }
    }

    @Test
    void appDoesNotStartWhenAScriptFails() {
        RuntimeException failure = AppInstance.failToStart(NodeSpec.single(dataDir),
                Map.of("triage.schema.location", "classpath*:schema-test/broken/V*__*.sql"));

        Throwable cause = failure;
        while (!(cause instanceof SchemaMigrationException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        assertThat(cause).isInstanceOf(SchemaMigrationException.class)
                .hasMessageContaining("V2__broken.sql");
    }

    @Test
    void splitterKeepsSemicolonsInsideQuotesAndDropsComments() {
        assertThat(SchemaScript.split("-- a; comment\nCREATE TABLE t (a VARCHAR);\n"
                + "INSERT INTO t VALUES ('x;y'); -- trailing; comment\n  ;  \nSELECT \"odd;name\" FROM t"))
                .containsExactly("CREATE TABLE t (a VARCHAR)", "INSERT INTO t VALUES ('x;y')",
                        "SELECT \"odd;name\" FROM t");
    }

    private static List<Integer> migrate(Ignite node, String location) {
        return new SchemaMigrator(node, new IgniteSql(node), location, Duration.ofSeconds(60)).migrate();
    }

    private static Map<String, Long> logCounts(Ignite node) {
        return Map.copyOf(new IgniteSql(node).query("SELECT script, COUNT(*) FROM apply_log GROUP BY script",
                row -> Map.entry(row.string(0), row.longValue(1))).stream()
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    }

    private static void await(CyclicBarrier barrier) {
        try {
            // bounded: if the other node failed to start, this one must fail too, not wait for ever
            barrier.await(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
