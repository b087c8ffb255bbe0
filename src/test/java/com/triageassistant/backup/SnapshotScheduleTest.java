package com.triageassistant.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class SnapshotScheduleTest {

    private static final Instant NOW = Instant.parse("2026-12-08T10:15:00Z");

    @Test
    void aCronScheduleRunsAtItsNextTimeInUtc() {
        assertThat(SnapshotSchedule.parse("0 0 3 * * *").next(NOW, Optional.empty()))
                .isEqualTo(Instant.parse("2026-12-09T03:00:00Z"));
    }

    @Test
    void anIntervalCountsFromTheNewestSnapshotSoRestartsDoNotPostponeIt() {
        SnapshotSchedule every6h = SnapshotSchedule.parse("6h");
        assertThat(every6h.next(NOW, Optional.of(Instant.parse("2026-12-08T08:00:00Z"))))
                .isEqualTo(Instant.parse("2026-12-08T14:00:00Z"));
        assertThat(every6h.next(NOW, Optional.of(Instant.parse("2026-12-07T08:00:00Z")))).isEqualTo(NOW);
        assertThat(every6h.next(NOW, Optional.empty())).isEqualTo(NOW.plusSeconds(6 * 3600));
    }

    @Test
    void aScheduleThatIsNeitherFailsWithBothFormsNamed() {
        assertThatThrownBy(() -> SnapshotSchedule.parse("daily at 3"))
                .hasMessageContaining("cron expression").hasMessageContaining("interval");
        assertThatThrownBy(() -> SnapshotSchedule.parse("0s")).hasMessageContaining("positive");
    }

    @Test
    void theAppsOwnNamesCarryTheirTime() {
        Instant at = Instant.parse("2026-12-08T03:00:07Z");
        assertThat(SnapshotNames.takenAt(SnapshotNames.at(at))).contains(at);
        assertThat(SnapshotNames.at(at)).isEqualTo("triage_20261208_030007");
        assertThat(SnapshotNames.takenAt("before_upgrade")).isEmpty();
        assertThat(SnapshotNames.takenAt("triage_manual")).isEmpty();
    }
}
