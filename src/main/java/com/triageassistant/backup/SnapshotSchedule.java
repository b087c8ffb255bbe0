package com.triageassistant.backup;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.scheduling.support.CronExpression;

/** When the next scheduled snapshot is due: a cron expression (UTC) or a fixed interval. */
sealed interface SnapshotSchedule {

    static SnapshotSchedule parse(String schedule) {
        if (schedule == null || schedule.isBlank()) {
            throw new IllegalArgumentException("triage.backup.schedule is empty");
        }
        if (CronExpression.isValidExpression(schedule)) {
            return new Cron(CronExpression.parse(schedule));
        }
        Duration interval;
        try {
            interval = DurationStyle.detectAndParse(schedule);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("triage.backup.schedule is neither a cron expression "
                    + "(\"0 0 3 * * *\") nor an interval (\"6h\"): " + schedule, e);
        }
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("triage.backup.schedule must be a positive interval: " + schedule);
        }
        return new Interval(interval);
    }

    /** @param newest when the newest snapshot this app made was taken, if any */
    Instant next(Instant now, Optional<Instant> newest);

    record Cron(CronExpression cron) implements SnapshotSchedule {
        @Override
        public Instant next(Instant now, Optional<Instant> newest) {
            return cron.next(now.atZone(ZoneOffset.UTC)).toInstant();
        }
    }

    /**
     * Counted from the newest snapshot rather than from start-up, so that restarts more frequent than the interval
     * do not postpone snapshots for ever.
     */
    record Interval(Duration every) implements SnapshotSchedule {
        @Override
        public Instant next(Instant now, Optional<Instant> newest) {
            Instant due = newest.orElse(now).plus(every);
            return due.isBefore(now) ? now : due;
        }
    }
}
