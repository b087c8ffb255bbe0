package com.triageassistant.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.triageassistant.jira.emulator.EmulatedSite;
import com.triageassistant.jira.emulator.JiraEmulator;
import com.triageassistant.jira.generator.GeneratorConfig;
import com.triageassistant.jira.generator.ProjectGenerator;
import com.triageassistant.store.IgniteSql;
import com.triageassistant.support.EmulatorTrust;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Ingestion figures on this machine, with native persistence on: acknowledgements per second at saturation and
 * acknowledgement latency at a steady 200 deliveries/s, for Connect webhooks and for Forge events (each with the token
 * its door requires: a Connect JWT, a Forge Invocation Token), and backfill issues per second against the emulator.
 * The app runs in this JVM; load comes from the same machine (so client and app share its cores).
 *
 * <p>Run: {@code ./mvnw -q -B -Pbench test-compile exec:exec -Dbench.main=com.triageassistant.bench.IngestBenchmark
 * [-Dbench.args=webhooks,forge,backfill]}
 */
public final class IngestBenchmark {

    private static final int CLIENT_THREADS = 16;
    private static final Duration SATURATION = Duration.ofSeconds(6);
    private static final int SATURATION_WINDOWS = 5;
    private static final int WARM_UP_WINDOWS = 10;
    /** Long enough to include one of Ignite's checkpoints (every 3 minutes, each a pause of the writes' pace). */
    private static final Duration STEADY = Duration.ofSeconds(200);
    private static final int STEADY_RATE = 200;
    private static final int BACKFILL_ISSUES = 20_000;
    /** Each door's issue ids start apart, so the second door's deliveries are new issues too. */
    private static final AtomicLong ID_BASES = new AtomicLong();

    private IngestBenchmark() {
    }

    /** One delivery of the load, numbered; answers the HTTP status (-1 when none came). */
    private interface Sender {
        int send(HttpClient http, long id);
    }

    /** @param args a comma-separated choice of {@code webhooks}, {@code forge}, {@code backfill}; nothing for all */
    public static void main(String[] args) throws Exception {
        List<String> parts = args.length == 0 ? List.of("webhooks", "forge", "backfill") : List.of(args[0].split(","));
        boolean webhooks = parts.contains("webhooks");
        boolean forge = parts.contains("forge");
        boolean backfill = parts.contains("backfill");
        Path dataDir = Files.createTempDirectory("ingest-bench");
        System.out.printf("Ingest benchmark: Java %s, %d cores, data in %s (native persistence, WAL LOG_ONLY)%n",
                Runtime.version(), Runtime.getRuntime().availableProcessors(), dataDir);
        try (JiraEmulator jira = new JiraEmulator();
             ConfigurableApplicationContext app = BenchApp.start(dataDir, jira)) {
            String appUrl = BenchApp.url(app);
            EmulatedSite site = jira.createSite("bench");
            site.createProject("ACME", "Acme", List.of("Bug"), List.of("api"));
            if (site.install(appUrl) != 204) {
                throw new IllegalStateException("install failed");
            }
            if (webhooks) {
                acknowledgements("webhooks", webhookSender(site, appUrl), app.getBean(IgniteSql.class));
            }
            if (forge) {
                EmulatedSite forgeSite = jira.createSite("bench-forge");
                forgeSite.createProject("ACME", "Acme", List.of("Bug"), List.of("api"));
                forgeSite.installForge(EmulatorTrust.FORGE_MANIFEST, appUrl);
                forgeSite.awaitForgeEvents(Duration.ofSeconds(30));
                acknowledgements("forge events", forgeSender(jira, forgeSite, appUrl), app.getBean(IgniteSql.class));
            }
            if (backfill) {
                backfill(jira, appUrl);
            }
        }
    }

    private static void acknowledgements(String door, Sender sender, IgniteSql sql) throws Exception {
        // Daemon threads: the client is never closed and must not keep the JVM alive after the figures.
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(Executors.newFixedThreadPool(CLIENT_THREADS, task -> {
            Thread thread = new Thread(task);
            thread.setDaemon(true);
            return thread;
        })).build();
        AtomicLong ids = new AtomicLong(ID_BASES.getAndAdd(10_000_000));

        // Warm-up, then saturation: CLIENT_THREADS closed-loop senders for SATURATION_WINDOWS windows back to back.
        // The warm-up is long because the rate keeps rising while the JIT compiles the path on two busy cores: after
        // 20 s the five windows still rose from ~1,250 to ~1,900/s; its own windows are printed to show the ramp.
        // The machine's pace changes by the second; the median window is the figure, the others show the spread.
        System.out.printf("-- %s --%n", door);
        List<Double> warmUp = windowRates(http, sender, ids, WARM_UP_WINDOWS);
        System.out.printf("warm-up, not counted: %d windows of %d s, acknowledged/s %s%n", WARM_UP_WINDOWS,
                SATURATION.toSeconds(), rounded(warmUp));
        List<Double> rates = windowRates(http, sender, ids, SATURATION_WINDOWS);
        List<Double> sorted = new ArrayList<>(rates);
        Collections.sort(sorted);
        System.out.printf("saturation: median %,.0f deliveries acknowledged/s over %d windows of %d s (each: %s; %d "
                        + "concurrent senders)%n", sorted.get(sorted.size() / 2), SATURATION_WINDOWS,
                SATURATION.toSeconds(), rounded(rates), CLIENT_THREADS);

        long drainStart = System.nanoTime();
        awaitInboxDrained(sql);
        // Forge's events name only some fields, so each is read from Jira (the emulator) while it is processed.
        System.out.printf("inbox drained %.1f s after the last delivery%n", (System.nanoTime() - drainStart) / 1e9);

        // Measured once the saturation's backlog is applied: otherwise the steady phase measures that backlog's
        // drain, not a steady load (it did: p99 ~80 ms while ~100k deliveries were still being applied).
        List<Long> latencies = steady(http, sender, ids);
        Collections.sort(latencies);
        System.out.printf("steady %d/s for %d s: %,d deliveries, ack latency p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                STEADY_RATE, STEADY.toSeconds(), latencies.size(), percentile(latencies, 0.50) / 1e6,
                percentile(latencies, 0.99) / 1e6, latencies.get(latencies.size() - 1) / 1e6);
    }

    private static void backfill(JiraEmulator jira, String appUrl) throws Exception {
        EmulatedSite history = jira.createSite("history");
        history.load(new ProjectGenerator(GeneratorConfig.defaults(5, "HIST").withIssueCount(BACKFILL_ISSUES))
                .generate());
        long start = System.nanoTime();
        if (history.install(appUrl) != 204) {
            throw new IllegalStateException("install failed");
        }
        awaitBackfill(history);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("backfill: %,d issues in %.1f s = %,.0f issues/s (100 per page, install to done)%n",
                BACKFILL_ISSUES, seconds, BACKFILL_ISSUES / seconds);
    }

    private static void awaitInboxDrained(IgniteSql sql) throws InterruptedException {
        while (sql.query("SELECT COUNT(*) FROM webhook_inbox WHERE state = 'PENDING'", row -> row.longValue(0))
                .get(0) > 0) {
            Thread.sleep(200);
        }
    }

    /** Acknowledgements per second in each of {@code windows} back-to-back saturation windows. */
    private static List<Double> windowRates(HttpClient http, Sender sender, AtomicLong ids, int windows)
            throws InterruptedException {
        List<Double> rates = new ArrayList<>();
        for (int i = 0; i < windows; i++) {
            rates.add(saturate(http, sender, ids, SATURATION) / (SATURATION.toMillis() / 1e3));
        }
        return rates;
    }

    private static List<String> rounded(List<Double> rates) {
        return rates.stream().map(rate -> String.format("%,.0f", rate)).toList();
    }

    private static long saturate(HttpClient http, Sender sender, AtomicLong ids, Duration duration)
            throws InterruptedException {
        AtomicLong acknowledged = new AtomicLong();
        long end = System.nanoTime() + duration.toNanos();
        ExecutorService senders = Executors.newFixedThreadPool(CLIENT_THREADS);
        for (int i = 0; i < CLIENT_THREADS; i++) {
            senders.execute(() -> {
                while (System.nanoTime() < end) {
                    if (sender.send(http, ids.incrementAndGet()) / 100 == 2) {
                        acknowledged.incrementAndGet();
                    }
                }
            });
        }
        senders.shutdown();
        senders.awaitTermination(duration.toSeconds() + 30, TimeUnit.SECONDS);
        return acknowledged.get();
    }

    /** Open loop: a delivery every 1/rate seconds whatever the answers, latency measured per delivery. */
    private static List<Long> steady(HttpClient http, Sender sender, AtomicLong ids)
            throws InterruptedException {
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        ScheduledExecutorService clock = Executors.newScheduledThreadPool(1);
        ExecutorService senders = Executors.newFixedThreadPool(CLIENT_THREADS);
        clock.scheduleAtFixedRate(() -> senders.execute(() -> {
            long t0 = System.nanoTime();
            if (sender.send(http, ids.incrementAndGet()) / 100 == 2) {
                latencies.add(System.nanoTime() - t0);
            }
        }), 0, 1_000_000 / STEADY_RATE, TimeUnit.MICROSECONDS);
        Thread.sleep(STEADY.toMillis());
        clock.shutdownNow();
        senders.shutdown();
        senders.awaitTermination(30, TimeUnit.SECONDS);
        return new ArrayList<>(latencies);
    }

    /** Connect: {@code POST /webhooks/issue-created}, one request JWT for all (as Jira reuses one per delivery). */
    private static Sender webhookSender(EmulatedSite site, String appUrl) {
        String path = "/webhooks/issue-created";
        String token = site.requestToken("POST", path, null);
        return (http, id) -> post(http, HttpRequest.newBuilder(URI.create(appUrl + path))
                .header("Authorization", "JWT " + token).header("X-Atlassian-Webhook-Identifier", "bench-" + id),
                "{\"timestamp\":" + System.currentTimeMillis() + ",\"webhookEvent\":\"jira:issue_created\","
                        + "\"issue\":" + issue(id) + "}");
    }

    /**
     * Forge: {@code POST /forge/events} as the platform sends {@code avi:jira:created:issue}, with a Forge Invocation
     * Token and an app token; one FIT for all (valid five minutes), its signature checked on every delivery.
     */
    private static Sender forgeSender(JiraEmulator jira, EmulatedSite site, String appUrl) {
        String fit = jira.forge().invocationToken(site, "core:trigger", "issue-events")
                .expiresAt(java.time.Instant.now().plus(Duration.ofMinutes(30)))
                .signedWith(jira.forge().currentKey());
        String appToken = jira.forge().issueSystemToken(site);
        return (http, id) -> post(http, HttpRequest.newBuilder(URI.create(appUrl + "/forge/events"))
                .header("Authorization", "Bearer " + fit).header("x-forge-oauth-system", appToken),
                "{\"eventType\":\"avi:jira:created:issue\",\"atlassianId\":\"557058:bench\",\"issue\":"
                        + issue(id) + "}");
    }

    private static String issue(long id) {
        return "{\"id\":\"" + (100_000 + id) + "\",\"key\":\"ACME-" + id + "\",\"fields\":{"
                + "\"summary\":\"Benchmark issue " + id + "\",\"project\":{\"key\":\"ACME\"},"
                + "\"issuetype\":{\"name\":\"Bug\"},\"priority\":{\"name\":\"Medium\"},\"labels\":[],\"components\":[],"
                + "\"created\":\"2026-01-01T00:00:00.000+0000\",\"updated\":\"2026-01-01T00:00:00.000+0000\"}}";
    }

    private static int post(HttpClient http, HttpRequest.Builder request, String body) {
        try {
            return http.send(request.header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static void awaitBackfill(EmulatedSite site) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (System.nanoTime() < deadline) {
            String status = site.callApp("GET", "/api/projects/HIST/history", null, null).body();
            if (status.contains("\"state\":\"DONE\"")) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("backfill did not finish");
    }

    private static double percentile(List<Long> sorted, double p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }
}
