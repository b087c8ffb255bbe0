package com.triageassistant.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.triageassistant.ingest.IssueRecord;
import com.triageassistant.ingest.IssueStore;
import com.triageassistant.jira.emulator.EmulatedIssue;
import com.triageassistant.jira.emulator.EmulatedSite;
import com.triageassistant.jira.emulator.JiraEmulator;
import com.triageassistant.suggest.SuggestionStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * How long the app takes to render the issue glance: a trained 3,000-issue project, 200 new issues with stored
 * suggestions, and the glance of each requested over and over by one client, as Jira's iframe loads it (a fresh
 * signed URL per request). Server time is Spring's own {@code http.server.requests} timer for {@code /glance}
 * (mean, max) and the client's loopback round trip (p50/p99), an upper bound of it.
 *
 * <p>Run: {@code ./mvnw -q -B -Pbench test-compile exec:exec -Dbench.main=com.triageassistant.bench.GlanceBenchmark}
 */
public final class GlanceBenchmark {

    private static final int ISSUES = 200;
    private static final int WARM_UP = 2_000;
    private static final int MEASURED = 5_000;

    private GlanceBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path dataDir = Files.createTempDirectory("glance-bench");
        System.out.printf("Glance benchmark: Java %s, %d cores, native persistence in %s%n", Runtime.version(),
                Runtime.getRuntime().availableProcessors(), dataDir);
        try (JiraEmulator jira = new JiraEmulator();
             ConfigurableApplicationContext app = BenchApp.start(dataDir, jira)) {
            String appUrl = BenchApp.url(app);
            EmulatedSite site = BenchApp.trainedSite(jira, app, "GB", 3_000);
            List<EmulatedIssue> issues = newIssues(app, site);
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            measure(http, appUrl, site, issues, WARM_UP);
            Timer timer = app.getBean(MeterRegistry.class).find("http.server.requests").tag("uri", "/glance").timer();
            double countBefore = timer.count();
            double totalBefore = timer.totalTime(TimeUnit.MILLISECONDS);
            List<Long> latencies = measure(http, appUrl, site, issues, MEASURED);
            Collections.sort(latencies);
            System.out.printf("glance: %,d requests over %d issues, one client: round trip p50 %.2f ms, p99 %.2f ms, "
                            + "max %.2f ms; server (http.server.requests) mean %.2f ms, max %.2f ms%n",
                    latencies.size(), issues.size(), at(latencies, 0.50), at(latencies, 0.99),
                    latencies.get(latencies.size() - 1) / 1e6,
                    (timer.totalTime(TimeUnit.MILLISECONDS) - totalBefore) / (timer.count() - countBefore),
                    timer.max(TimeUnit.MILLISECONDS));
        }
    }

    private static List<EmulatedIssue> newIssues(ConfigurableApplicationContext app, EmulatedSite site)
            throws InterruptedException {
        List<IssueRecord> templates = app.getBean(IssueStore.class).projectIssues(site.clientKey(), "GB");
        List<EmulatedIssue> created = new ArrayList<>();
        for (int i = 0; i < ISSUES; i++) {
            IssueRecord template = templates.get(i * 7 % templates.size());
            created.add(site.createIssue("GB", template.issueType(), template.summary(), null,
                    template.components(), List.of(), "Medium", null, template.reporter()));
        }
        SuggestionStore suggestions = app.getBean(SuggestionStore.class);
        for (EmulatedIssue issue : created) {
            while (suggestions.find(site.clientKey(), issue.id()).size() < 4) {
                Thread.sleep(100);
            }
        }
        return created;
    }

    private static List<Long> measure(HttpClient http, String appUrl, EmulatedSite site, List<EmulatedIssue> issues,
                                      int requests) throws Exception {
        List<Long> latencies = new ArrayList<>(requests);
        for (int i = 0; i < requests; i++) {
            EmulatedIssue issue = issues.get(i % issues.size());
            String path = "/glance?issueId=" + issue.id() + "&issueKey=" + issue.key() + "&projectId=1&projectKey=GB";
            String token = site.requestToken("GET", path, null);
            long start = System.nanoTime();
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(appUrl + path))
                    .header("Authorization", "JWT " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
            latencies.add(System.nanoTime() - start);
            if (page.statusCode() != 200) {
                throw new IllegalStateException("glance answered " + page.statusCode());
            }
        }
        return latencies;
    }

    private static double at(List<Long> sorted, double p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1)) / 1e6;
    }
}
