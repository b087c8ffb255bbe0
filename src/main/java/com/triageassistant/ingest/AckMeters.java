package com.triageassistant.ingest;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.stereotype.Component;

/**
 * {@code triage.events.acked}: how long the app took to acknowledge an event from Jira (a Connect webhook or a
 * Forge event), from the request reaching its handler to the inbox write being done; and how many were duplicates
 * (already in the inbox). Every meter is made up front: this is the hottest path, and recording must cost no
 * lookup or tag allocation.
 */
@Component
public class AckMeters {

    /** The door an event came through. */
    public enum Platform { CONNECT, FORGE }

    private final Map<Platform, Map<WebhookEvent, Timer>> acks = new EnumMap<>(Platform.class);
    private final Map<Platform, Counter> duplicates = new EnumMap<>(Platform.class);

    AckMeters(MeterRegistry meters) {
        for (Platform platform : Platform.values()) {
            String name = platform.name().toLowerCase();
            Map<WebhookEvent, Timer> byEvent = new EnumMap<>(WebhookEvent.class);
            for (WebhookEvent event : WebhookEvent.values()) {
                byEvent.put(event, Timer.builder("triage.events.acked")
                        .description("events from Jira acknowledged after their inbox write")
                        .tags("platform", name, "event", event.jiraName())
                        .publishPercentileHistogram()
                        .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(10))
                        .register(meters));
            }
            acks.put(platform, byEvent);
            duplicates.put(platform, Counter.builder("triage.events.duplicates")
                    .description("acknowledged events whose delivery id was already in the inbox")
                    .tag("platform", name).register(meters));
        }
    }

    /**
     * @param event      Jira's event name, as given to {@link InboxIntake#accept}
     * @param accepted   what {@link InboxIntake#accept} answered: false for a duplicate
     * @param startNanos {@link System#nanoTime()} when the request reached the handler
     */
    public void acked(Platform platform, String event, boolean accepted, long startNanos) {
        WebhookEvent.byJiraName(event).ifPresent(known -> acked(platform, known, accepted, startNanos));
    }

    void acked(Platform platform, WebhookEvent event, boolean accepted, long startNanos) {
        acks.get(platform).get(event).record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
        if (!accepted) {
            duplicates.get(platform).increment();
        }
    }
}
