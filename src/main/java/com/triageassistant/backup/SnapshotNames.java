package com.triageassistant.backup;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The names of the snapshots this app takes: {@code triage_} and the UTC time to the second
 * ({@code triage_20261208_030000}). Ignite allows only letters, digits and underscores. Retention deletes only
 * snapshots whose names parse, so a snapshot an operator named otherwise is never touched.
 */
final class SnapshotNames {

    private static final String PREFIX = "triage_";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss");

    private SnapshotNames() {
    }

    static String at(Instant time) {
        return PREFIX + TIME.format(time.atOffset(ZoneOffset.UTC));
    }

    /** When the app took the snapshot of that name; empty for a name the app does not give. */
    static Optional<Instant> takenAt(String name) {
        if (!name.startsWith(PREFIX) || name.length() != PREFIX.length() + 15) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDateTime.parse(name.substring(PREFIX.length()), TIME).toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
