package com.triageassistant.ingest;

import java.time.Duration;

/** Why a call to Jira did not give an answer, in the terms the caller acts on. */
public abstract sealed class JiraCallException extends Exception {

    JiraCallException(String message) {
        super(message);
    }

    /** 429: Jira says when to come back. */
    public static final class RateLimited extends JiraCallException {
        private final Duration retryAfter;

        RateLimited(Duration retryAfter) {
            super("rate limited by Jira; retry after " + retryAfter.toSeconds() + " s");
            this.retryAfter = retryAfter;
        }

        public Duration retryAfter() {
            return retryAfter;
        }
    }

    /** 5xx, time-out, connection refused: worth trying again later. */
    public static final class Unavailable extends JiraCallException {
        Unavailable(String message) {
            super(message);
        }
    }

    /** Any other 4xx: the same request will be refused again. */
    public static final class Refused extends JiraCallException {
        private final int status;

        Refused(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }
}
