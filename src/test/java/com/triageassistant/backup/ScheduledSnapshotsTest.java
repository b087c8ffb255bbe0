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
                "triage.backup.keep", "2"))) {
            Snapshots snapshots = app.bean(Snapshots.class);
            await().atMost(Duration.ofSeconds(60)).until(() -> snapshots.list().size() == 2);
            String older = snapshots.list().get(1).name();

            await().atMost(Duration.ofSeconds(60)).until(() -> !names(snapshots).contains(older));
            assertThat(snapshots.list()).hasSizeLessThanOrEqualTo(2).allMatch(SnapshotSummary::madeByApp);
        }
    }

    private static List<String> names(Snapshots snapshots) {
        return snapshots.list().stream().map(SnapshotSummary::name).toList();
    }
}
