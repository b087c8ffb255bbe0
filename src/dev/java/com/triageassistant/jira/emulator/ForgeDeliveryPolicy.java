package com.triageassistant.jira.emulator;

import java.time.Duration;
import java.util.List;

/**
 * How Forge delivers events and scheduled triggers to a remote: retry delays (one per retry; their count is the
 * number of retries) and the time limits after which an attempt counts as failed.
 */
public record ForgeDeliveryPolicy(List<Duration> retryDelays, Duration connectTimeout, Duration responseTimeout) {

    /**
     * Forge's remote contract: POST, 5 s time-out, 4 retries. The contract does not publish the back-off; these
     * doubling delays are the emulator's assumption.
     */
    public static ForgeDeliveryPolicy forge() {
        return new ForgeDeliveryPolicy(List.of(Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(2),
                Duration.ofMinutes(4)), Duration.ofSeconds(5), Duration.ofSeconds(5));
    }

    /** The contract's shape (4 retries, 5 s) on a test's time scale. */
    public static ForgeDeliveryPolicy fast() {
        return new ForgeDeliveryPolicy(List.of(Duration.ofMillis(20), Duration.ofMillis(40), Duration.ofMillis(80),
                Duration.ofMillis(160)), Duration.ofSeconds(2), Duration.ofSeconds(5));
    }
}
