package com.triageassistant.ml;

import java.util.Locale;
import java.util.concurrent.TimeUnit;

import com.triageassistant.operations.SampledGauges;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.stereotype.Component;

/**
 * Training's meters: jobs queued and running in the cluster (sampled), and each run on this node timed by target
 * and outcome, so the timer's count is also the outcome counter.
 */
@Component
class TrainingMeters {

    /** A run that ended without a new version: its job waits for the sidecar or Jira, retries, or failed for good. */
    static final String POSTPONED = "postponed";
    static final String RETRY = "retry";
    static final String FAILED = "failed";
    /** The tenant is gone or switched the app off: nothing was trained. */
    static final String SKIPPED = "skipped";

    private final MeterRegistry meters;
    private volatile long[] jobs = {0, 0};

    TrainingMeters(TrainingJobs trainingJobs, SampledGauges sampled, MeterRegistry meters) {
        this.meters = meters;
        Gauge.builder("triage.training.jobs.queued", this, m -> m.jobs[0])
                .description("training jobs waiting (cluster-wide), due or debounced").register(meters);
        Gauge.builder("triage.training.jobs.running", this, m -> m.jobs[1])
                .description("training jobs running (cluster-wide)").register(meters);
        sampled.add(() -> jobs = trainingJobs.countPendingAndRunning());
    }

    /**
     * @param target  one of {@code triage.training.targets}
     * @param outcome the recorded version's status ({@code active}, {@code rejected}, {@code insufficient},
     *                {@code below_baseline}) or one of this class's constants
     */
    void ran(String target, String outcome, long startNanos) {
        // A few runs a minute at most: the registry's lookup is fine here.
        Timer.builder("triage.training.runs")
                .description("training runs on this node by target and outcome; the count is the outcome counter")
                .tags("target", target, "outcome", outcome.toLowerCase(Locale.ROOT))
                .register(meters).record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }
}
