package com.triageassistant.ingest;

import java.time.Duration;

/** Processing needs Jira, which cannot be asked now; the delivery waits, {@code retryAfter} if Jira said so. */
final class JiraUnreachable extends RuntimeException {

    private final transient Duration retryAfter;

    JiraUnreachable(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = retryAfter;
    }

    Duration retryAfter() {
        return retryAfter;
    }
}
