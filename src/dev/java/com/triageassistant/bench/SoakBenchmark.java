package com.triageassistant.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;

import com.triageassistant.ingest.IssueRecord;
import com.triageassistant.ingest.IssueStore;
import com.triageassistant.jira.emulator.EmulatedIssue;
import com.triageassistant.jira.emulator.EmulatedSite;
import com.triageassistant.jira.emulator.JiraEmulator;
import com.triageassistant.jira.generator.GeneratorConfig;
import com.triageassistant.jira.generator.ProjectGenerator;
import com.triageassistant.ml.ModelRegistry;
import com.triageassistant.ml.SidecarClient;
import com.triageassistant.ml.TrainingJobs;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A soak: mixed load on one instance for a long time, memory and latency sampled, and whether they stayed flat.
 *
 * <p>Tenants each install the app on their own emulated site with a small generated project (backfilled and
 * trained). Then, for the duration: new issues filed through the emulator at a steady rate across tenants (each
 * one a real signed webhook with Jira's retries, then ingested, suggested, maybe auto-applied), glance reads of
 * those issues at a steady rate, and a retraining requested every half minute. Every window (30 s) prints the heap
 * left after the last collection, the process RSS (the app, the emulator and this load generator share the JVM),
 * the sidecar's RSS, the glance round trip p99 and the webhook acknowledgement p99 (server side,
 * {@code http.server.requests}, over the last one to two windows). At the end it compares the first third of the
 * windows (after warm-up) with the last third and says whether each stayed flat.
 *
 * <p>Run: {@code ./mvnw -q -B -Pbench test-compile exec:exec -Dbench.main=com.triageassistant.bench.SoakBenchmark
 * -Dbench.args="MINUTES TENANTS ISSUES_PER_S GLANCES_PER_S"} (default {@code 30 50 10 10}).
 */
public final class SoakBenchmark {

    private static final Duration WINDOW = Duration.ofSeconds(30);
    private static final int HISTORY = 200;
    private static final int WARM_UP_WINDOWS = 2;
    /** Flat means the last third's median is within these factors of the first third's. */
    private static final double MEMORY_GROWTH = 1.25;
    private static final double LATENCY_GROWTH = 2.0;

    private record Sample(int window, double heapAfterGcMb, double rssMb, double sidecarRssMb, double glanceP99Ms,
                          double webhookP99Ms, long issuesFiled, long glances, long trainings) {
    }

    private SoakBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int minutes = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        int tenants = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        int issueRate = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        int glanceRate = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        // server-side percentiles of the webhook acknowledgements, per window
        System.setProperty("management.metrics.distribution.percentiles.http.server.requests", "0.5,0.99");
        // two rotating buffers over two windows: a sample always covers at least the last window (with one buffer
        // of one window, a sample taken just after its rotation saw an empty histogram and read p99 0)
        System.setProperty("management.metrics.distribution.expiry.http.server.requests",
                2 * WINDOW.toSeconds() + "s");
        System.setProperty("management.metrics.distribution.buffer-length.http.server.requests", "2");
        Path dataDir = Files.createTempDirectory("soak");
        System.out.printf("Soak: %d min, %d tenants with %d issues each, %d new issues/s, %d glance reads/s, a "
                        + "retraining every %d s; Java %s, %d cores, max heap %d MB, persistence in %s%n", minutes,
                tenants, HISTORY, issueRate, glanceRate, WINDOW.toSeconds(), Runtime.version(),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20, dataDir);
        try (JiraEmulator jira = new JiraEmulator();
             ConfigurableApplicationContext app = BenchApp.start(dataDir, jira.keyServerUrl())) {
            List<EmulatedSite> sites = install(jira, BenchApp.url(app), tenants);
            long setUp = System.nanoTime();
            awaitModels(app, sites);
            System.out.printf("set-up: %d tenants backfilled and trained in %.0f s%n", tenants,
                    (System.nanoTime() - setUp) / 1e9);
            List<Sample> samples = run(app, sites, Duration.ofMinutes(minutes), issueRate, glanceRate);
            verdict(samples);
        }
    }

    private static List<EmulatedSite> install(JiraEmulator jira, String appUrl, int tenants) {
        List<EmulatedSite> sites = new ArrayList<>();
        for (int i = 0; i < tenants; i++) {
            EmulatedSite site = jira.createSite("soak-" + i);
            site.load(new ProjectGenerator(GeneratorConfig.defaults(100 + i, "SOAK").withIssueCount(HISTORY))
                    .generate());
            if (site.install(appUrl) != 204) {
                throw new IllegalStateException("install of tenant " + i + " failed");
            }
            sites.add(site);
        }
        return sites;
    }

    private static void awaitModels(ConfigurableApplicationContext app, List<EmulatedSite> sites)
            throws InterruptedException {
        ModelRegistry registry = app.getBean(ModelRegistry.class);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
        for (EmulatedSite site : sites) {
            while (registry.active(site.clientKey(), "SOAK", "assignee").isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("tenants not trained within 30 minutes");
                }
                Thread.sleep(500);
            }
        }
    }

    private static List<Sample> run(ConfigurableApplicationContext app, List<EmulatedSite> sites, Duration duration,
                                    int issueRate, int glanceRate) throws InterruptedException {
        Random random = new Random(7);
        // each tenant's new issues look like its own history (its people, components, types)
        Map<String, List<IssueRecord>> templates = new HashMap<>();
        sites.forEach(site -> templates.put(site.clientKey(), app.getBean(IssueStore.class)
                .projectIssues(site.clientKey(), "SOAK")));
        List<Filed> filed = Collections.synchronizedList(new ArrayList<>());
        List<Long> glanceNanos = Collections.synchronizedList(new ArrayList<>());
        AtomicLong issues = new AtomicLong();
        AtomicLong glances = new AtomicLong();
        AtomicLong trainings = new AtomicLong();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String appUrl = BenchApp.url(app);
        TrainingJobs jobs = app.getBean(TrainingJobs.class);
        String[] targets = {"assignee", "labels", "priority", "components"};

        ScheduledExecutorService load = Executors.newScheduledThreadPool(4);
        load.scheduleAtFixedRate(() -> {
            EmulatedSite site = sites.get(random.nextInt(sites.size()));
            List<IssueRecord> own = templates.get(site.clientKey());
            IssueRecord template = own.get(random.nextInt(own.size()));
            EmulatedIssue issue = site.createIssue("SOAK", template.issueType(), template.summary(), null,
                    template.components(), List.of(), "Medium", null, template.reporter());
            filed.add(new Filed(site, issue));
            issues.incrementAndGet();
        }, 0, 1_000_000 / issueRate, TimeUnit.MICROSECONDS);
        load.scheduleAtFixedRate(() -> {
            if (filed.isEmpty()) {
                return;
            }
            Filed one = filed.get(random.nextInt(filed.size()));
            long nanos = glance(http, appUrl, one);
            if (nanos >= 0) {
                glanceNanos.add(nanos);
                glances.incrementAndGet();
            }
        }, 1_000_000 / glanceRate, 1_000_000 / glanceRate, TimeUnit.MICROSECONDS);
        load.scheduleAtFixedRate(() -> {
            EmulatedSite site = sites.get(random.nextInt(sites.size()));
            jobs.request(site.clientKey(), "SOAK", targets[random.nextInt(targets.length)], "soak", Instant.now());
            trainings.incrementAndGet();
        }, WINDOW.toMillis(), WINDOW.toMillis(), TimeUnit.MILLISECONDS);

        List<Sample> samples = new ArrayList<>();
        System.out.println("window  heap-after-GC MB  RSS MB  sidecar RSS MB  glance p99 ms  webhook ack p99 ms  "
                + "issues  glances  retrainings");
        long end = System.nanoTime() + duration.toNanos();
        for (int window = 1; System.nanoTime() < end; window++) {
            Thread.sleep(WINDOW.toMillis());
            List<Long> latencies;
            synchronized (glanceNanos) {
                latencies = new ArrayList<>(glanceNanos);
                glanceNanos.clear();
            }
            Collections.sort(latencies);
            Sample sample = new Sample(window, heapAfterGcMb(), rssMb(), sidecarRssMb(app),
                    latencies.isEmpty() ? Double.NaN : latencies.get((int) Math.ceil(0.99 * latencies.size()) - 1) / 1e6,
                    webhookP99Ms(app), issues.get(), glances.get(), trainings.get());
            samples.add(sample);
            System.out.printf("%6d  %16.1f  %6.0f  %14.0f  %13.2f  %18.2f  %6d  %7d  %11d%n", sample.window(),
                    sample.heapAfterGcMb(), sample.rssMb(), sample.sidecarRssMb(), sample.glanceP99Ms(),
                    sample.webhookP99Ms(), sample.issuesFiled(), sample.glances(), sample.trainings());
        }
        load.shutdownNow();
        load.awaitTermination(30, TimeUnit.SECONDS);
        return samples;
    }

    private record Filed(EmulatedSite site, EmulatedIssue issue) {
    }

    /** A glance load as Jira's iframe does it (fresh signed URL); nanoseconds, or -1 if it did not answer 200. */
    private static long glance(HttpClient http, String appUrl, Filed filed) {
        String path = "/glance?issueId=" + filed.issue().id() + "&issueKey=" + filed.issue().key()
                + "&projectId=1&projectKey=SOAK";
        String token = filed.site().requestToken("GET", path, null);
        long start = System.nanoTime();
        try {
            HttpResponse<Void> page = http.send(HttpRequest.newBuilder(URI.create(appUrl + path))
                    .header("Authorization", "JWT " + token).GET().build(), HttpResponse.BodyHandlers.discarding());
            return page.statusCode() == 200 ? System.nanoTime() - start : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Heap in use right after the last collection of each heap pool: what the app keeps, not its garbage. */
    private static double heapAfterGcMb() {
        long used = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            MemoryUsage afterGc = pool.getCollectionUsage();
            if (pool.getType() == MemoryType.HEAP && afterGc != null) {
                used += afterGc.getUsed();
            }
        }
        return used / 1048576.0;
    }

    private static double rssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
                }
            }
        } catch (IOException e) {
            // not Linux: reported as unknown
        }
        return Double.NaN;
    }

    private static double sidecarRssMb(ConfigurableApplicationContext app) {
        long bytes = app.getBean(SidecarClient.class).status().rssBytes();
        return bytes < 0 ? Double.NaN : bytes / 1048576.0;
    }

    /** The highest p99 over the webhook endpoints in the last window. */
    private static double webhookP99Ms(ConfigurableApplicationContext app) {
        double worst = Double.NaN;
        for (Timer timer : app.getBean(MeterRegistry.class).find("http.server.requests").timers()) {
            String uri = timer.getId().getTag("uri");
            if (uri == null || !uri.startsWith("/webhooks")) {
                continue;
            }
            for (ValueAtPercentile value : timer.takeSnapshot().percentileValues()) {
                if (value.percentile() == 0.99 && value.value() > 0) {
                    double ms = value.value(TimeUnit.MILLISECONDS);
                    worst = Double.isNaN(worst) ? ms : Math.max(worst, ms);
                }
            }
        }
        return worst;
    }

    private static void verdict(List<Sample> samples) {
        List<Sample> measured = samples.subList(Math.min(WARM_UP_WINDOWS, samples.size()), samples.size());
        if (measured.size() < 3) {
            System.out.println("too few windows for a verdict");
            return;
        }
        int third = measured.size() / 3;
        List<Sample> first = measured.subList(0, third);
        List<Sample> last = measured.subList(measured.size() - third, measured.size());
        System.out.printf("verdict (median of windows %d-%d vs %d-%d):%n", first.get(0).window(),
                first.get(first.size() - 1).window(), last.get(0).window(), last.get(last.size() - 1).window());
        compare("heap after GC", first, last, Sample::heapAfterGcMb, MEMORY_GROWTH);
        compare("process RSS", first, last, Sample::rssMb, MEMORY_GROWTH);
        compare("sidecar RSS", first, last, Sample::sidecarRssMb, MEMORY_GROWTH);
        compare("glance p99", first, last, Sample::glanceP99Ms, LATENCY_GROWTH);
        compare("webhook ack p99", first, last, Sample::webhookP99Ms, LATENCY_GROWTH);
    }

    private static void compare(String what, List<Sample> first, List<Sample> last, ToDoubleFunction<Sample> value,
                                double allowedGrowth) {
        double before = median(first, value);
        double after = median(last, value);
        double ratio = after / before;
        System.out.printf("  %-16s %10.2f -> %10.2f  (x%.2f)  %s%n", what, before, after, ratio,
                Double.isNaN(ratio) ? "unknown" : ratio <= allowedGrowth ? "flat" : "GREW (allowed x" + allowedGrowth + ")");
    }

    private static double median(List<Sample> samples, ToDoubleFunction<Sample> value) {
        double[] values = samples.stream().mapToDouble(value).filter(v -> !Double.isNaN(v)).sorted().toArray();
        return values.length == 0 ? Double.NaN : values[values.length / 2];
    }
}
