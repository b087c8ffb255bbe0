package com.triageassistant.jira.emulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * Failures a site injects into the app's REST calls on demand, each for the next {@code times} calls whose path
 * starts with a prefix: 429 with {@code Retry-After} (and {@code X-RateLimit-Reset}), a 5xx, or a slow answer.
 */
public final class RestFaults {

    /** What to do to one call. */
    public sealed interface Fault permits Status, Delay {
    }

    /** Answer with this status instead; {@code retryAfterSeconds} null for none. */
    public record Status(int status, Integer retryAfterSeconds) implements Fault {
    }

    /** Answer normally, after this long. */
    public record Delay(Duration delay) implements Fault {
    }

    private static final class Rule {
        final String pathPrefix;
        final Fault fault;
        int remaining;

        Rule(String pathPrefix, Fault fault, int remaining) {
            this.pathPrefix = pathPrefix;
            this.fault = fault;
            this.remaining = remaining;
        }
    }

    private final List<Rule> rules = new ArrayList<>();

    public synchronized RestFaults rateLimit(String pathPrefix, int times, int retryAfterSeconds) {
        rules.add(new Rule(pathPrefix, new Status(429, retryAfterSeconds), times));
        return this;
    }

    public synchronized RestFaults serverError(String pathPrefix, int times, int status) {
        rules.add(new Rule(pathPrefix, new Status(status, null), times));
        return this;
    }

    public synchronized RestFaults slow(String pathPrefix, int times, Duration delay) {
        rules.add(new Rule(pathPrefix, new Delay(delay), times));
        return this;
    }

    public synchronized void clear() {
        rules.clear();
    }

    /** Takes one use of the first rule matching this path, if any. */
    synchronized Optional<Fault> next(String path) {
        Iterator<Rule> it = rules.iterator();
        while (it.hasNext()) {
            Rule rule = it.next();
            if (path.startsWith(rule.pathPrefix)) {
                if (--rule.remaining <= 0) {
                    it.remove();
                }
                return Optional.of(rule.fault);
            }
        }
        return Optional.empty();
    }
}
