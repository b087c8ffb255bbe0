package com.triageassistant.ingest;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

/**
 * When Jira answers 429 with Retry-After, no call of this node goes to that tenant's site before the time it
 * named, whichever job wants to call.
 */
@Component
class RateLimitGate {

    private final Map<String, Instant> notBefore = new ConcurrentHashMap<>();

    void deferUntil(String clientKey, Instant until) {
        notBefore.merge(clientKey, until, (a, b) -> a.isAfter(b) ? a : b);
    }

    Instant notBefore(String clientKey) {
        return notBefore.getOrDefault(clientKey, Instant.EPOCH);
    }
}
