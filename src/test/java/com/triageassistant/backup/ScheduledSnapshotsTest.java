package com.triageassistant.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.triageassistant.support.AppInstance;
import com.triageassistant.support.NodeSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With nobody asking, snapshots come on the schedule and only the newest {@code keep} of them stay. */
class ScheduledSnapshotsTest {

    @TempDir
    Path dir;

    @Test
    void snapshotsComeOnTheScheduleAndOnlyTheNewestAreKept() {
        try (AppInstance app = AppInstance.start(NodeSpec.single(dir.resolve("work")), Map.of(
                "triage.ml.enabled", "false",
                "triage.backup.schedule", "1s",
                "triage.backup.keep", "1"))) {
            Snapshots snapshots = app.bean(Snapshots.class);
            await().atMost(Duration.ofSeconds(60)).until(() -> !snapshots.list().isEmpty());
            String first = snapshots.list().get(0).name();

            // The next one comes by itself and, with keep=1, replaces the first.
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                List<String> names = snapshots.list().stream().map(SnapshotSummary::name).toList();
                return names.size() == 1 && !names.contains(first);
            });
            assertThat(snapshots.list()).allMatch(SnapshotSummary::madeByApp);
        }
    }
}
