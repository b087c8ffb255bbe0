package com.triageassistant.jira.emulator;

import java.time.Duration;
import java.util.List;

/**
 * How Forge delivers events and scheduled triggers to a remote: retry delays (one per retry; their count is the
 * number of retries) and the time limits after which an attempt counts as failed.
 */
public record ForgeDeliveryPolicy(List<Duration> retryDelays, Duration connectTimeout, Duration responseTimeout) {

    /**
     * Forge's remote contract ("Sending Atlassian app and lifecycle events to a remote"): POST, 5 s time-out, at most
     * 4 redeliveries, each a fixed 60 s after the failure.
     */
    public static ForgeDeliveryPolicy forge() {
        Duration minute = Duration.ofSeconds(60);
        return new ForgeDeliveryPolicy(List.of(minute, minute, minute, minute), Duration.ofSeconds(5),
                Duration.ofSeconds(5));
    }

    /** The contract's shape (4 retries, 5 s) on a test's time scale. */
    public static ForgeDeliveryPolicy fast() {
        return new ForgeDeliveryPolicy(List.of(Duration.ofMillis(20), Duration.ofMillis(40), Duration.ofMillis(80),
                Duration.ofMillis(160)), Duration.ofSeconds(2), Duration.ofSeconds(5));
    }
}
