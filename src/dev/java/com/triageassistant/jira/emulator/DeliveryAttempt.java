package com.triageassistant.jira.emulator;

import java.time.Duration;
import java.time.Instant;

/**
 * One HTTP attempt to deliver a webhook.
 *
 * @param retry   0 for the first attempt, n for the n-th retry (the {@code X-Atlassian-Webhook-Retry} header)
 * @param status  the app's answer, or -1 when the attempt failed without one (time-out, refused, dropped)
 * @param dropped the emulator closed the connection after sending, on purpose
 * @param elapsed from sending the request to the app's answer (or the failure), as Jira would time it
 */
public record DeliveryAttempt(String identifier, String event, String url, int retry, int status, String error,
                              Instant at, boolean dropped, boolean duplicate, Duration elapsed) {

    public boolean succeeded() {
        return status >= 200 && status < 300;
    }
}
