package com.triageassistant.bench;

import java.io.IOException;
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
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.triageassistant.jira.emulator.DeliveryAttempt;
import com.triageassistant.jira.emulator.EmulatedIssue;
import com.triageassistant.jira.emulator.EmulatedSite;
import com.triageassistant.jira.emulator.JiraEmulator;
import com.triageassistant.jira.generator.GeneratorConfig;
import com.triageassistant.jira.generator.ProjectGenerator;
import com.triageassistant.support.AppProcess;
import com.triageassistant.support.FreePorts;
import com.triageassistant.support.NodeSpec;

/**
 * A soak: mixed load on one instance for a long time, memory and latency sampled, and whether they stayed flat.
 *
 * <p>The app runs as its own process from the packaged jar ({@code java -Xmx1g -jar}, Ignite's default memory
 * region), so its heap and RSS are its own, not the load generator's. Tenants each install the app on their own
 * emulated site with a small generated project (backfilled and trained). Then, for the duration: new issues filed
 * through the emulator at a steady rate across tenants (each one a real signed webhook with Jira's retries, then
 * ingested, suggested, maybe auto-applied), glance reads of those issues at a steady rate, and every half minute a
 * project admin of one tenant asking for a retraining of all its models. Every window (30 s) prints the app's heap
 * left after the last collection and the heap it has committed (read from its management beans over the attach
 * API), the RSS of the app's JVM (and its anonymous part: without mapped files such as Ignite's WAL segments), the
 * off-heap pages Ignite has allocated (they grow with the stored data, up to the data region's size), the RSS of
 * the sidecar, the glance round trip p99 and the webhook acknowledgement p99 as the emulator (Jira) timed its
 * deliveries in that window. At the end it compares the first third of the windows (after a warm-up: the app's
 * JVM starts cold) with the last third and says whether each stayed flat; for the process that is its anonymous
 * memory less Ignite's pages, since the data itself is meant to grow.
 *
 * <p>Run (the jar first): {@code ./mvnw -q -B -Pbench -DskipTests package exec:exec
 * -Dbench.main=com.triageassistant.bench.SoakBenchmark -Dbench.args="MINUTES TENANTS ISSUES_PER_S GLANCES_PER_S"}
 * (default {@code 30 50 10 10}).
 */
public final class SoakBenchmark {

    private static final Duration WINDOW = Duration.ofSeconds(30);
    private static final int HISTORY = 200;
    private static final int WARM_UP_WINDOWS = 4;
    private static final String APP_HEAP = "1g";
    /** Flat means the last third's median is within these factors of the first third's. */
    private static final double MEMORY_GROWTH = 1.25;
    private static final double LATENCY_GROWTH = 2.0;
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Sample(int window, double heapAfterGcMb, double heapCommittedMb, double rssMb, double rssAnonMb,
                          double pageMemoryMb, double sidecarRssMb, double glanceP99Ms,
                          double webhookP99Ms, long issuesFiled, long glances, long trainings) {
    }

    /** A tenant: its emulated site and the project admin who asks for retrainings. */
    private record Tenant(EmulatedSite site, String adminAccountId) {
    }

    private SoakBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int minutes = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        int tenants = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        int issueRate = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        int glanceRate = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        Path workDir = Files.createTempDirectory("soak");
        System.out.printf("Soak: %d min, %d tenants with %d issues each, %d new issues/s, %d glance reads/s, a "
                        + "retraining every %d s; the app a separate JVM (-Xmx%s), Java %s, %d cores, work in %s%n",
                minutes, tenants, HISTORY, issueRate, glanceRate, WINDOW.toSeconds(), APP_HEAP, Runtime.version(),
                Runtime.getRuntime().availableProcessors(), workDir);
        int port = FreePorts.next();
        try (JiraEmulator jira = new JiraEmulator();
             AppProcess app = new AppProcess(workDir, port, NodeSpec.single(workDir.resolve("ignite")).defaultSized(),
                     APP_HEAP, Stream.concat(AppProcess.repositorySidecar().stream(), Stream.of(
                             "--addon.base-url=http://localhost:" + port,
                             "--atlassian.connect.public-key-base-url=" + jira.keyServerUrl(),
                             "--logging.level.root=warn")).toList())) {
            app.start();
            List<Tenant> sites = install(jira, app.url(), tenants);
            long setUp = System.nanoTime();
            awaitModels(sites);
            System.out.printf("set-up: %d tenants backfilled and trained in %.0f s%n", tenants,
                    (System.nanoTime() - setUp) / 1e9);
            try (RemoteMemory memory = new RemoteMemory(app.handle().pid())) {
                verdict(run(app, memory, sites, Duration.ofMinutes(minutes), issueRate, glanceRate));
            }
        }
    }

    private static List<Tenant> install(JiraEmulator jira, String appUrl, int tenants) {
        List<Tenant> sites = new ArrayList<>();
        for (int i = 0; i < tenants; i++) {
            EmulatedSite site = jira.createSite("soak-" + i);
            site.load(new ProjectGenerator(GeneratorConfig.defaults(100 + i, "SOAK").withIssueCount(HISTORY))
                    .generate());
            String admin = site.createUser("Soak admin").accountId();
            site.makeProjectAdmin("SOAK", admin);
            if (site.install(appUrl) != 204) {
                throw new IllegalStateException("install of tenant " + i + " failed");
            }
            sites.add(new Tenant(site, admin));
        }
        return sites;
    }

    private static void awaitModels(List<Tenant> tenants) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
        for (Tenant tenant : tenants) {
            while (!assigneeModelActive(tenant.site())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("tenants not trained within 30 minutes");
                }
                Thread.sleep(500);
            }
        }
    }

    private static boolean assigneeModelActive(EmulatedSite site) throws IOException {
        for (JsonNode target : JSON.readTree(site.callApp("GET", "/api/projects/SOAK/models", null, null).body())) {
            if (target.path("target").asText().equals("assignee")) {
                for (JsonNode version : target.path("versions")) {
                    if (version.path("status").asText().equals("ACTIVE")) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static List<Sample> run(AppProcess app, RemoteMemory memory, List<Tenant> tenants, Duration duration,
                                    int issueRate, int glanceRate) throws InterruptedException {
        Random random = new Random(7);
        // each tenant's new issues look like its own history (its people, components, types)
        Map<EmulatedSite, List<EmulatedIssue>> templates = new HashMap<>();
        tenants.forEach(tenant -> templates.put(tenant.site(), tenant.site().issues("SOAK")));
        List<Filed> filed = Collections.synchronizedList(new ArrayList<>());
        List<Long> glanceNanos = Collections.synchronizedList(new ArrayList<>());
        AtomicLong issues = new AtomicLong();
        AtomicLong glances = new AtomicLong();
        AtomicLong trainings = new AtomicLong();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        ScheduledExecutorService load = Executors.newScheduledThreadPool(4);
        load.scheduleAtFixedRate(() -> {
            EmulatedSite site = tenants.get(random.nextInt(tenants.size())).site();
            List<EmulatedIssue> own = templates.get(site);
            EmulatedIssue template = own.get(random.nextInt(own.size()));
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
            long nanos = glance(http, app.url(), one);
            if (nanos >= 0) {
                glanceNanos.add(nanos);
                glances.incrementAndGet();
            }
        }, 1_000_000 / glanceRate, 1_000_000 / glanceRate, TimeUnit.MICROSECONDS);
        load.scheduleAtFixedRate(() -> {
            Tenant tenant = tenants.get(random.nextInt(tenants.size()));
            int status = tenant.site().callAppWithToken("POST", "/api/projects/SOAK/train", null,
                    tenant.site().contextToken(tenant.adminAccountId())).statusCode();
            if (status == 202) {
                trainings.incrementAndGet();
            }
        }, WINDOW.toMillis(), WINDOW.toMillis(), TimeUnit.MILLISECONDS);

        List<Sample> samples = new ArrayList<>();
        Map<EmulatedSite, Integer> deliveriesSeen = new HashMap<>();
        System.out.println("window  heap-after-GC MB  heap committed MB  RSS MB  anonymous MB  Ignite pages MB  "
                + "sidecar RSS MB  glance p99 ms  webhook ack p99 ms  issues  glances  retrainings");
        long end = System.nanoTime() + duration.toNanos();
        for (int window = 1; System.nanoTime() < end; window++) {
            Thread.sleep(WINDOW.toMillis());
            List<Long> latencies;
            synchronized (glanceNanos) {
                latencies = new ArrayList<>(glanceNanos);
                glanceNanos.clear();
            }
            long pid = app.handle().pid();
            Sample sample = new Sample(window, memory.afterGcMb(), memory.committedMb(), rssMb(pid, "VmRSS"),
                    rssMb(pid, "RssAnon"), memory.pageMemoryMb(), sidecarRssMb(app),
                    p99Ms(latencies), p99Ms(newAcknowledgements(tenants, deliveriesSeen)), issues.get(),
                    glances.get(), trainings.get());
            samples.add(sample);
            System.out.printf("%6d  %16.1f  %17.0f  %6.0f  %12.0f  %15.0f  %14.0f  %13.2f  %18.2f  %6d  %7d  %11d%n",
                    sample.window(), sample.heapAfterGcMb(), sample.heapCommittedMb(), sample.rssMb(),
                    sample.rssAnonMb(), sample.pageMemoryMb(), sample.sidecarRssMb(), sample.glanceP99Ms(),
                    sample.webhookP99Ms(), sample.issuesFiled(), sample.glances(), sample.trainings());
        }
        load.shutdownNow();
        load.awaitTermination(30, TimeUnit.SECONDS);
        return samples;
    }

    private record Filed(EmulatedSite site, EmulatedIssue issue) {
    }

    /** How long each webhook the app acknowledged since the last window took, as the emulator timed it. */
    private static List<Long> newAcknowledgements(List<Tenant> tenants, Map<EmulatedSite, Integer> seen) {
        List<Long> nanos = new ArrayList<>();
        for (Tenant tenant : tenants) {
            List<DeliveryAttempt> attempts = tenant.site().deliveries();
            int from = seen.getOrDefault(tenant.site(), 0);
            attempts.subList(from, attempts.size()).stream().filter(DeliveryAttempt::succeeded)
                    .forEach(attempt -> nanos.add(attempt.elapsed().toNanos()));
            seen.put(tenant.site(), attempts.size());
        }
        return nanos;
    }

    private static double p99Ms(List<Long> nanos) {
        if (nanos.isEmpty()) {
            return Double.NaN;
        }
        Collections.sort(nanos);
        return nanos.get((int) Math.ceil(0.99 * nanos.size()) - 1) / 1e6;
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

    /** @param field a {@code /proc/<pid>/status} field: {@code VmRSS} (all resident), {@code RssAnon} (not files) */
    private static double rssMb(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
                }
            }
        } catch (IOException e) {
            // not Linux: reported as unknown
        }
        return Double.NaN;
    }

    /** The sidecar's RSS as the app's health reports it. */
    private static double sidecarRssMb(AppProcess app) {
        try {
            long bytes = JSON.readTree(app.get("/actuator/health").body()).path("components").path("sidecar")
                    .path("details").path("rssBytes").asLong(-1);
            return bytes < 0 ? Double.NaN : bytes / 1048576.0;
        } catch (IOException e) {
            return Double.NaN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Double.NaN;
        }
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
        compare("heap committed", first, last, Sample::heapCommittedMb, MEMORY_GROWTH);
        compare("process RSS", first, last, Sample::rssMb, MEMORY_GROWTH);
        compare("  anonymous", first, last, Sample::rssAnonMb, MEMORY_GROWTH);
        compare("Ignite pages", first, last, Sample::pageMemoryMb, Double.NaN);
        // The page memory grows with the data (up to the region's size), the rest of the process must not.
        compare("anonymous - pages", first, last, sample -> sample.rssAnonMb() - sample.pageMemoryMb(), MEMORY_GROWTH);
        compare("sidecar RSS", first, last, Sample::sidecarRssMb, MEMORY_GROWTH);
        compare("glance p99", first, last, Sample::glanceP99Ms, LATENCY_GROWTH);
        compare("webhook ack p99", first, last, Sample::webhookP99Ms, LATENCY_GROWTH);
    }

    /** @param allowedGrowth NaN for a figure that is shown but not judged */
    private static void compare(String what, List<Sample> first, List<Sample> last, ToDoubleFunction<Sample> value,
                                double allowedGrowth) {
        double before = median(first, value);
        double after = median(last, value);
        double ratio = after / before;
        String verdict = Double.isNaN(ratio) ? "unknown" : Double.isNaN(allowedGrowth) ? "(grows with the stored data)"
                : ratio <= allowedGrowth ? "flat" : "GREW (allowed x" + allowedGrowth + ")";
        System.out.printf("  %-17s %10.2f -> %10.2f  (x%.2f)  %s%n", what, before, after, ratio, verdict);
    }

    private static double median(List<Sample> samples, ToDoubleFunction<Sample> value) {
        double[] values = samples.stream().mapToDouble(value).filter(v -> !Double.isNaN(v)).sorted().toArray();
        return values.length == 0 ? Double.NaN : values[values.length / 2];
    }
}
