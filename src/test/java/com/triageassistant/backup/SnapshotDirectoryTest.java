package com.triageassistant.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention deletes only the app's own complete snapshots beyond the newest {@code keep}: never one an operator named,
 * never one still being written.
 */
class SnapshotDirectoryTest {

    @TempDir
    Path root;

    @Test
    void deletesOnlyTheOldestOfTheAppsCompleteSnapshots() throws IOException {
        complete("triage_20261201_030000");
        complete("triage_20261203_030000");
        complete("triage_20261202_030000");
        Files.createDirectories(root.resolve("triage_20261204_030000").resolve("db")); // no metadata yet
        complete("before_upgrade");
        complete("triage_manual");

        assertThat(new SnapshotDirectory(root).prune(2)).containsExactly("triage_20261201_030000");

        assertThat(root.resolve("triage_20261201_030000")).doesNotExist();
        assertThat(root.resolve("triage_20261204_030000")).isDirectory();
        assertThat(new SnapshotDirectory(root).list()).extracting(SnapshotSummary::name)
                .containsExactlyInAnyOrder("triage_20261203_030000", "triage_20261202_030000", "before_upgrade",
                        "triage_manual");
    }

    @Test
    void listsNewestFirstWithEachSnapshotsSizeOnThisNode() throws IOException {
        complete("triage_20261201_030000");
        Path newer = complete("triage_20261202_030000");
        Files.write(Files.createDirectories(newer.resolve("db/node/cache-issue")).resolve("part-0.bin"),
                new byte[1000]);

        assertThat(new SnapshotDirectory(root).list())
                .extracting(SnapshotSummary::name, SnapshotSummary::sizeBytes, SnapshotSummary::madeByApp)
                .containsExactly(
                        tuple("triage_20261202_030000", 1004L, true),
                        tuple("triage_20261201_030000", 4L, true));
    }

    private Path complete(String name) throws IOException {
        Path dir = Files.createDirectories(root.resolve(name));
        Files.writeString(dir.resolve("node.smf"), "meta");
        return dir;
    }
}
