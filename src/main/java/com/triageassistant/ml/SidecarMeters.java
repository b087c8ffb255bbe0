package com.triageassistant.ml;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.stereotype.Component;

/**
 * The sidecar's meters: each call's latency by operation and outcome (errors are the outcomes but {@code ok}),
 * model loads, and what the supervisor's status says (up, restarts, models loaded).
 */
@Component
public class SidecarMeters {

    private static final String[] OUTCOMES = {"ok", "unavailable", "error"};

    private final MeterRegistry meters;
    /** Per operation, one timer per outcome: made once per operation, then only looked up. */
    private final Map<String, Timer[]> calls = new ConcurrentHashMap<>();
    private final Counter loads;

    public SidecarMeters(SidecarSupervisor supervisor, MeterRegistry meters) {
        this.meters = meters;
        this.loads = Counter.builder("triage.sidecar.model.loads")
                .description("models loaded into the sidecar: first use since it started, or reloaded").register(meters);
        Gauge.builder("triage.sidecar.up", supervisor, s -> s.status().isUp() ? 1 : 0)
                .description("1 while the sidecar answers, 0 while it starts, restarts or is down").register(meters);
        FunctionCounter.builder("triage.sidecar.restarts", supervisor, s -> s.status().restarts())
                .description("sidecars lost (exited or hung) and replaced since the app started").register(meters);
        Gauge.builder("triage.sidecar.models.loaded", supervisor, s -> s.status().modelsLoaded())
                .description("models the sidecar held at its last ping").register(meters);
    }

    /** Times {@code call} as {@code operation} ({@code predict}, {@code train}, ...: a fixed set, never data). */
    <T> T timed(String operation, Supplier<T> call) {
        Timer[] timers = calls.computeIfAbsent(operation, this::timers);
        long start = System.nanoTime();
        int outcome = 2;
        try {
            T result = call.get();
            outcome = 0;
            return result;
        } catch (SidecarUnavailableException e) {
            outcome = 1;
            throw e;
        } finally {
            timers[outcome].record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    void loaded() {
        loads.increment();
    }

    private Timer[] timers(String operation) {
        Timer[] timers = new Timer[OUTCOMES.length];
        for (int i = 0; i < OUTCOMES.length; i++) {
            timers[i] = Timer.builder("triage.sidecar.calls")
                    .description("calls to the ML sidecar; outcome unavailable: no sidecar up, error: it failed")
                    .tags("operation", operation.toLowerCase(Locale.ROOT), "outcome", OUTCOMES[i])
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(1))
                    .maximumExpectedValue(Duration.ofMinutes(10))
                    .register(meters);
        }
        return timers;
    }
}
