package com.triageassistant.jira.generator;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * When issues are created and last updated. Activity grows over the span (projects get busier), clusters in
 * working hours and mostly avoids weekends.
 */
final class Timeline {

    /** Density at the end of the span relative to the start. */
    private static final double GROWTH = 1.8;

    private Timeline() {
    }

    /** {@code count} strictly increasing creation times (epoch seconds), the first exactly at the start. */
    static long[] creationTimes(ProjectShape shape, int count, SplittableRandom rng) {
        long[] times = new long[count];
        double g = GROWTH - 1;
        for (int i = 0; i < count; i++) {
            // Inverse CDF of a density rising linearly from 1 to GROWTH.
            double y = rng.nextDouble();
            double x = g == 0 ? y : (-1 + Math.sqrt(1 + 2 * g * y * (1 + g / 2))) / g;
            long raw = shape.start + (long) (x * (shape.span() - 1));
            long placed = workingTime(raw, rng);
            times[i] = placed >= shape.start && placed < shape.end ? placed : raw;
        }
        Arrays.sort(times);
        times[0] = shape.start;
        for (int i = 1; i < count; i++) {
            if (times[i] <= times[i - 1]) {
                times[i] = times[i - 1] + 1;
            }
        }
        return times;
    }

    private static long workingTime(long raw, SplittableRandom rng) {
        LocalDate day = LocalDate.ofInstant(Instant.ofEpochSecond(raw), ZoneOffset.UTC);
        if (day.getDayOfWeek().getValue() >= DayOfWeek.SATURDAY.getValue() && Draw.chance(0.85, rng)) {
            day = day.getDayOfWeek() == DayOfWeek.SATURDAY ? day.minusDays(1) : day.plusDays(1);
        }
        // Office hours across European and American time zones, a few at night.
        double hour = Draw.chance(0.9, rng) ? 13.5 + 3.2 * Draw.gaussian(rng) : 24 * rng.nextDouble();
        hour = Math.max(0, Math.min(23.99, hour));
        return day.toEpochDay() * ProjectShape.DAY + (long) (hour * 3600);
    }

    /**
     * When the issue was last touched: later for bigger work, sometimes long after (a late comment), sometimes
     * never after creation. Depends only on the issue's type, so it carries no hint of the targets.
     */
    static long updated(long created, IssueType type, long end, SplittableRandom rng) {
        double u = rng.nextDouble();
        long updated;
        if (u < 0.12) {
            updated = created;
        } else if (u < 0.2) {
            updated = created + (long) (rng.nextDouble() * (end - created));
        } else {
            double meanDays = switch (type) {
                case BUG -> 9;
                case TASK -> 14;
                case STORY -> 20;
                case IMPROVEMENT -> 30;
                case EPIC -> 60;
            };
            updated = created + (long) (Draw.exponential(meanDays, rng) * ProjectShape.DAY);
        }
        return Math.min(updated, end);
    }
}
