package com.triageassistant.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.triageassistant.support.NodeSpec;
import org.apache.ignite.Ignite;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Key-value access to SQL tables: what one side writes, the other reads, indexes included. */
class TableRowsTest {

    @TempDir
    static Path dataDir;

    static Ignite ignite;
    static IgniteSql sql;

    @BeforeAll
    static void start() {
        ignite = TestNodes.start(NodeSpec.single(dataDir));
        sql = new IgniteSql(ignite);
        sql.execute("CREATE TABLE single_key (id VARCHAR PRIMARY KEY, name VARCHAR, size INT, at TIMESTAMP, ok BOOLEAN)"
                + " WITH \"cache_name=single_key\"");
        sql.execute("CREATE TABLE pair_key (tenant VARCHAR, item BIGINT, state VARCHAR, note VARCHAR, "
                + "PRIMARY KEY (tenant, item)) WITH \"affinity_key=tenant,cache_name=pair_key\"");
        sql.execute("CREATE INDEX pair_key_state ON pair_key (state)");
    }

    @AfterAll
    static void stop() {
        ignite.close();
    }

    @Test
    void rowsWrittenBySqlAreReadByKeyInColumnOrder() {
        Timestamp at = Timestamp.valueOf("2026-01-02 03:04:05");
        sql.update("INSERT INTO single_key (id, name, size, at, ok) VALUES (?, ?, ?, ?, ?)", "a", "Alpha", 3, at, true);
        TableRows rows = TableRows.of(ignite, "single_key");

        IgniteSql.Row row = rows.get(rows.key("id", "a"), List.of("name", "id", "size", "at", "ok")).orElseThrow();

        assertThat((List<Object>) List.<Object>copyOf(row.values())).isEqualTo(List.of("Alpha", "a", 3, at, true));
        assertThat(rows.get(rows.key("id", "missing"), List.of("name"))).isEmpty();
    }

    @Test
    void rowsWrittenByKeyAreSeenBySqlAndItsIndexes() {
        TableRows rows = TableRows.of(ignite, "pair_key");

        assertThat(rows.putIfAbsent(rows.key("tenant", "t1", "item", 7L), Map.of("state", "NEW", "note", "first")))
                .isTrue();
        assertThat(rows.putIfAbsent(rows.key("tenant", "t1", "item", 7L), Map.of("state", "NEW", "note", "again")))
                .isFalse();

        assertThat(sql.query("SELECT tenant, item, note FROM pair_key USE INDEX (pair_key_state) WHERE state = ?",
                IgniteSql.Row::values, "NEW")).containsExactly(List.of("t1", 7L, "first"));
        IgniteSql.Row row = rows.get(rows.key("tenant", "t1", "item", 7L), List.of("tenant", "item", "note"))
                .orElseThrow();
        assertThat((List<Object>) List.<Object>copyOf(row.values())).isEqualTo(List.of("t1", 7L, "first"));
    }

    @Test
    void putReplacesTheWholeRowAndNullColumnsStayNull() {
        TableRows rows = TableRows.of(ignite, "pair_key");
        Object key = rows.key("tenant", "t2", "item", 1L);
        rows.put(key, Map.of("state", "NEW", "note", "x"));
        Map<String, Object> done = new HashMap<>();
        done.put("state", "DONE");
        done.put("note", null);

        rows.put(key, done);

        assertThat(sql.query("SELECT state, note FROM pair_key WHERE tenant = ? AND item = ?", IgniteSql.Row::values,
                "t2", 1L)).containsExactly(java.util.Arrays.asList("DONE", null));
        // The index no longer holds the replaced row's old state.
        assertThat(sql.query("SELECT COUNT(*) FROM pair_key USE INDEX (pair_key_state) WHERE state = ? AND tenant = ?",
                r -> r.longValue(0), "NEW", "t2")).containsExactly(0L);
    }
}
