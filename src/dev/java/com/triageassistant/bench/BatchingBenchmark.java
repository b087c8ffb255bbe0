package com.triageassistant.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.triageassistant.ingest.IssueRecord;
import com.triageassistant.ingest.IssueStore;
import com.triageassistant.jira.emulator.EmulatedSite;
import com.triageassistant.jira.emulator.JiraEmulator;
import com.triageassistant.ml.ModelRegistry;
import com.triageassistant.ml.PredictionBatcher;
import com.triageassistant.ml.ServingProperties;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The serving path's batching as the app runs it: its own {@link PredictionBatcher} (default wait and size, its
 * serving threads, the real sidecar) asked for assignee suggestions with explanations of a trained 3,000-issue
 * generated project's issues by N closed-loop clients (each asks again as soon as it is answered), N from 1 to 1,024.
 * Per N: issues/s, latency p50/p99 from asking to the answer, the sidecar calls those took
 * ({@value PredictionBatcher#BATCH_SIZE}) and the serving threads' CPU time per issue. Each N is warmed up for {@value #WARM_UP_SECONDS} s and measured over
 * {@value #MEASURED_SECONDS} s.
 *
 * <p>Run: {@code ./mvnw -q -B -Pbench test-compile exec:exec -Dbench.main=com.triageassistant.bench.BatchingBenchmark}
 */
public final class BatchingBenchmark {

    private static final int[] CLIENTS = {1, 4, 16, 64, 256, 1024};
    private static final int WARM_UP_SECONDS = 2;
    private static final int MEASURED_SECONDS = 5;

    private BatchingBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path dataDir = Files.createTempDirectory("batching-bench");
        System.out.printf("Batching benchmark: Java %s, %d cores, load average %s%n", Runtime.version(),
                Runtime.getRuntime().availableProcessors(), HostLoad.loadAverage());
        try (JiraEmulator jira = new JiraEmulator();
             ConfigurableApplicationContext app = BenchApp.start(dataDir, jira)) {
            EmulatedSite site = BenchApp.trainedSite(jira, app, "BB", 3_000);
            ModelRegistry.ModelVersion model = app.getBean(ModelRegistry.class)
                    .active(site.clientKey(), "BB", "assignee").orElseThrow();
            PredictionBatcher.ModelRef ref = new PredictionBatcher.ModelRef(site.clientKey(), "BB", "assignee",
                    model.version());
            List<IssueRecord> issues = app.getBean(IssueStore.class).projectIssues(site.clientKey(), "BB");
            ServingProperties serving = app.getBean(ServingProperties.class);
            DistributionSummary batches = app.getBean(MeterRegistry.class).get(PredictionBatcher.BATCH_SIZE).summary();
            System.out.printf("assignee model v%d (%d samples), %,d issues to ask about; batches of up to %d issues"
                            + " or %d ms, %d serving threads%n", model.version(), model.samples(), issues.size(),
                    serving.batchMaxSize(), serving.batchMaxWait().toMillis(), serving.threads());
            System.out.println("clients   issues/s   latency p50   p99 (ms)   sidecar calls/s   issues per call"
                    + "   serving threads' CPU per issue (us)");
            PredictionBatcher batcher = app.getBean(PredictionBatcher.class);
            for (int clients : CLIENTS) {
                new ClosedLoop(batcher, ref, issues, clients).run(Duration.ofSeconds(WARM_UP_SECONDS));
                double calls = batches.count();
                double asked = batches.totalAmount();
                long cpu = servingCpuNanos();
                Window window = new ClosedLoop(batcher, ref, issues, clients)
                        .run(Duration.ofSeconds(MEASURED_SECONDS));
                cpu = servingCpuNanos() - cpu;
                calls = batches.count() - calls;
                asked = batches.totalAmount() - asked;
                System.out.printf("%7d %10.0f %13.2f %10.2f %17.0f %17.1f %20.1f%n", clients, window.rate(),
                        window.percentile(0.50), window.percentile(0.99), calls / window.seconds(), asked / calls,
                        cpu / 1e3 / asked);
            }
        }
    }

    /** CPU time of the batcher's serving threads ({@code predict-<n>}): encoding, the call, reading answers. */
    private static long servingCpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long nanos = 0;
        for (ThreadInfo thread : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (thread != null && thread.getThreadName().matches("predict-\\d+")) {
                nanos += Math.max(0, threads.getThreadCpuTime(thread.getThreadId()));
            }
        }
        return nanos;
    }

    /** Latencies (ns) of the requests answered within one window. */
    private record Window(long[] latencies, double seconds) {

        double rate() {
            return latencies.length / seconds;
        }

        double percentile(double p) {
            return latencies[Math.min(latencies.length - 1, (int) Math.ceil(p * latencies.length) - 1)] / 1e6;
        }
    }

    /** {@code clients} requests outstanding at all times: each answer starts its client's next request. */
    private static final class ClosedLoop {

        private final PredictionBatcher batcher;
        private final PredictionBatcher.ModelRef model;
        private final List<IssueRecord> issues;
        private final int clients;
        private final AtomicInteger next = new AtomicInteger();
        private final long[] latencies = new long[1_000_000];
        private final AtomicInteger answered = new AtomicInteger();
        private final AtomicLong failures = new AtomicLong();
        private volatile long endNanos;
        private CountDownLatch stopped;

        ClosedLoop(PredictionBatcher batcher, PredictionBatcher.ModelRef model, List<IssueRecord> issues,
                   int clients) {
            this.batcher = batcher;
            this.model = model;
            this.issues = issues;
            this.clients = clients;
        }

        Window run(Duration length) throws InterruptedException {
            stopped = new CountDownLatch(clients);
            long start = System.nanoTime();
            endNanos = start + length.toNanos();
            for (int client = 0; client < clients; client++) {
                ask();
            }
            if (!stopped.await(60, TimeUnit.SECONDS) || failures.get() > 0) {
                throw new IllegalStateException("requests failed or went unanswered (failures: " + failures + ")");
            }
            int n = Math.min(answered.get(), latencies.length);
            long[] window = Arrays.copyOf(latencies, n);
            Arrays.sort(window);
            return new Window(window, length.toNanos() / 1e9);
        }

        private void ask() {
            long asked = System.nanoTime();
            IssueRecord issue = issues.get(Math.floorMod(next.getAndIncrement(), issues.size()));
            batcher.explain(model, issue).whenComplete((ranked, error) -> {
                long now = System.nanoTime();
                if (error != null) {
                    failures.incrementAndGet();
                }
                if (now - endNanos >= 0) {
                    stopped.countDown();
                    return;
                }
                int i = answered.getAndIncrement();
                if (i < latencies.length) {
                    latencies[i] = now - asked;
                }
                ask();
            });
        }
    }
}
