package com.triageassistant.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.triageassistant.ingest.WellFormedText;
import com.triageassistant.support.AdversarialText;
import com.triageassistant.support.NodeSpec;
import org.apache.ignite.Ignite;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ignite stores adversarial text (see {@link AdversarialText}) exactly, written by key or by SQL and read by key or
 * by SQL, and survives a restart of the node: NUL and other controls, noncharacters, bidi marks, emoji, a long text.
 * The one thing it cannot keep is an unpaired surrogate (its string encoding writes {@code '?'}), which is why
 * issues enter the app with those as U+FFFD ({@link WellFormedText}); that replacement is stored exactly.
 */
class AdversarialTextStoreTest {

    @TempDir
    static Path dataDir;

    static NodeSpec spec;
    static Ignite ignite;
    static IgniteSql sql;

    @BeforeAll
    static void start() {
        spec = NodeSpec.single(dataDir);
        ignite = TestNodes.start(spec);
        sql = new IgniteSql(ignite);
        sql.execute("CREATE TABLE adversarial (id BIGINT PRIMARY KEY, summary VARCHAR, text VARCHAR)"
                + " WITH \"cache_name=adversarial\"");
    }

    @AfterAll
    static void stop() {
        ignite.close();
    }

    @Test
    void everyWellFormedStringIsStoredAndReadBackExactly() {
        List<String> strings = new ArrayList<>();
        for (String atom : AdversarialText.ATOMS) {
            strings.add(WellFormedText.of(atom));
            strings.add(WellFormedText.of("a" + atom + "b"));
        }
        AdversarialText random = new AdversarialText(31);
        for (int i = 0; i < 500; i++) {
            strings.add(WellFormedText.of(random.field()));
        }
        StringBuilder long_ = new StringBuilder();
        while (long_.length() < 32_000) {
            long_.append(random.text(12));
        }
        strings.add(WellFormedText.of(long_.substring(0, 32_000)));
        strings.add("");

        TableRows rows = TableRows.of(ignite, "adversarial");
        for (int i = 0; i < strings.size(); i++) {
            String s = strings.get(i);
            if (i % 2 == 0) {
                rows.put(rows.key("id", (long) i), Map.of("summary", s, "text", s));
            } else {
                sql.update("INSERT INTO adversarial (id, summary, text) VALUES (?, ?, ?)", (long) i, s, s);
            }
        }

        assertStored(rows, strings);
        ignite.close();
        ignite = TestNodes.start(spec);
        sql = new IgniteSql(ignite);
        assertStored(TableRows.of(ignite, "adversarial"), strings);
        // and found by equality in SQL, NUL and all
        for (String s : List.of("\u0000", "a\u0000b", "\uFFFF", "\u202Eevil\u202C", "\uD83D\uDC68\u200D\uD83D\uDC69")) {
            long id = strings.indexOf(s) >= 0 ? strings.indexOf(s) : -1;
            if (id >= 0) {
                assertThat(sql.query("SELECT id FROM adversarial WHERE summary = ? ORDER BY id LIMIT 1",
                        r -> r.longValue(0), s)).as(s).containsExactly(id);
            }
        }
    }

    @Test
    void anUnpairedSurrogateIsWhatIgniteCannotKeepSoTheAppReplacesIt() {
        TableRows rows = TableRows.of(ignite, "adversarial");
        rows.put(rows.key("id", -1L), Map.of("summary", "x\uD800y", "text", WellFormedText.of("x\uD800y")));

        IgniteSql.Row row = rows.get(rows.key("id", -1L), List.of("summary", "text")).orElseThrow();

        assertThat(row.string(0)).as("Ignite's own encoding of a lone surrogate").isNotEqualTo("x\uD800y");
        assertThat(row.string(1)).isEqualTo("x\uFFFDy");
    }

    private static void assertStored(TableRows rows, List<String> strings) {
        Map<Long, List<String>> bySql = new java.util.HashMap<>();
        sql.query("SELECT id, summary, text FROM adversarial WHERE id >= 0", row -> row)
                .forEach(row -> bySql.put(row.longValue(0), List.of(row.string(1), row.string(2))));
        for (int i = 0; i < strings.size(); i++) {
            String s = strings.get(i);
            IgniteSql.Row byKey = rows.get(rows.key("id", (long) i), List.of("summary", "text")).orElseThrow();
            assertThat(byKey.string(0)).as("by key, %d", i).isEqualTo(s);
            assertThat(byKey.string(1)).as("by key, %d", i).isEqualTo(s);
            assertThat(bySql.get((long) i)).as("by SQL, %d", i).containsExactly(s, s);
        }
    }
}
