package com.triageassistant.jira.emulator;

import java.time.Duration;
import java.util.List;

/**
 * How a site delivers webhooks: retry delays (one per retry; their count is the number of retries) and the time
 * limits after which an attempt counts as failed.
 */
public record WebhookPolicy(List<Duration> retryDelays, Duration connectTimeout, Duration responseTimeout) {

    /** Jira Cloud as observed: up to 5 retries 5 to 15 minutes apart, ~5 s to connect, ~20 s to answer. */
    public static WebhookPolicy jira() {
        return new WebhookPolicy(List.of(Duration.ofMinutes(5), Duration.ofMinutes(7), Duration.ofMinutes(10),
                Duration.ofMinutes(12), Duration.ofMinutes(15)), Duration.ofSeconds(5), Duration.ofSeconds(20));
    }

    /** Jira's behaviour on a test's time scale. */
    public static WebhookPolicy fast() {
        return new WebhookPolicy(List.of(Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(200),
                Duration.ofMillis(400), Duration.ofMillis(800)), Duration.ofSeconds(2), Duration.ofSeconds(5));
    }
}
