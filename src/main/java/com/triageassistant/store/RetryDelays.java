package com.triageassistant.store;

import java.time.Duration;

import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;

/** Exponential back-off by failure count: {@code initial} after the first failure, doubling, capped at {@code max}. */
public record RetryDelays(Duration initial, Duration max) {

    public Duration afterFailures(int failures) {
        ExponentialBackOff policy = new ExponentialBackOff(initial.toMillis(), 2.0);
        policy.setMaxInterval(max.toMillis());
        BackOffExecution execution = policy.start();
        long delay = execution.nextBackOff();
        for (int i = 1; i < failures; i++) {
            delay = execution.nextBackOff();
        }
        return Duration.ofMillis(delay);
    }
}
