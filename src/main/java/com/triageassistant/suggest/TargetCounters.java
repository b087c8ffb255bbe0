package com.triageassistant.suggest;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * One counter per target and value of one tag, made up front: counting costs a map lookup, and no name from a
 * request can become a series of its own (an unknown pair is not counted).
 */
final class TargetCounters {

    private final Map<String, Map<String, Counter>> counters = new HashMap<>();

    TargetCounters(MeterRegistry meters, String name, String description, List<String> targets, String tag,
                   List<String> values) {
        for (String target : targets) {
            Map<String, Counter> byValue = new HashMap<>();
            for (String value : values) {
                byValue.put(value, Counter.builder(name).description(description).tags("target", target, tag, value)
                        .register(meters));
            }
            counters.put(target, byValue);
        }
    }

    void increment(String target, String value) {
        Counter counter = counters.getOrDefault(target, Map.of()).get(value);
        if (counter != null) {
            counter.increment();
        }
    }
}
