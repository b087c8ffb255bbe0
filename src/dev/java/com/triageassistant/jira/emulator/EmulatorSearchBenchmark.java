package com.triageassistant.jira.emulator;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.triageassistant.jira.generator.GeneratedProject;
import com.triageassistant.jira.generator.GeneratorConfig;
import com.triageassistant.jira.generator.ProjectGenerator;

/**
 * How fast the emulator serves a project's history through {@code search/jql}, the way a backfill reads it: one
 * client, signed requests, {@code nextPageToken} paging, the fields a triage model needs.
 *
 * <p>Run: {@code ./mvnw -q -B -Pbench test-compile exec:exec
 * -Dbench.main=com.triageassistant.jira.emulator.EmulatorSearchBenchmark -Dbench.args="50000 5"}
 * (arguments: issue count, default 50000; rounds, default 5).
 */
public final class EmulatorSearchBenchmark {

    private static final String FIELDS = "summary,description,issuetype,components,labels,priority,assignee,reporter,"
            + "created,updated";

    private EmulatorSearchBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int issues = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        System.out.printf("Emulator search/jql benchmark: %d issues, %d timed rounds after 1 warm-up; Java %s, %d cores%n",
                issues, rounds, Runtime.version(), Runtime.getRuntime().availableProcessors());
        long start = System.nanoTime();
        GeneratedProject project = new ProjectGenerator(GeneratorConfig.defaults(7, "BENCH").withIssueCount(issues))
                .generate();
        System.out.printf("generated in %.2f s%n", (System.nanoTime() - start) / 1e9);

        try (JiraEmulator jira = new JiraEmulator(); RecordingApp app = new RecordingApp()) {
            EmulatedSite site = jira.createSite("bench");
            site.load(project);
            if (site.install(app.url()) != 204) {
                throw new IllegalStateException("install failed");
            }
            HttpClient http = HttpClient.newHttpClient();
            for (int pageSize : new int[] {50, 100}) {
                List<Double> rates = new ArrayList<>();
                for (int round = 0; round <= rounds; round++) {
                    long t0 = System.nanoTime();
                    int seen = pageThrough(http, site, pageSize);
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    if (seen != issues) {
                        throw new IllegalStateException("saw " + seen + " of " + issues);
                    }
                    if (round > 0) {
                        rates.add(seen / seconds);
                    }
                }
                Collections.sort(rates);
                System.out.printf("page size %3d: median %,.0f issues/s (min %,.0f, max %,.0f) over %d rounds%n",
                        pageSize, rates.get(rates.size() / 2), rates.get(0), rates.get(rates.size() - 1), rounds);
            }
        }
    }

    private static int pageThrough(HttpClient http, EmulatedSite site, int pageSize) throws Exception {
        String jql = URLEncoder.encode("project = BENCH ORDER BY updated ASC", StandardCharsets.UTF_8)
                .replace("+", "%20");
        String token = null;
        int seen = 0;
        do {
            String pathAndQuery = "/rest/api/3/search/jql?jql=" + jql + "&maxResults=" + pageSize + "&fields=" + FIELDS
                    + (token == null ? "" : "&nextPageToken=" + token);
            String jwt = ConnectJwts.hs256(site.sharedSecret(), ConnectJwts.claims(RecordingApp.KEY,
                    ConnectJwts.qsh("GET", pathAndQuery), Duration.ofMinutes(3)).build());
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(site.baseUrl() + pathAndQuery))
                    .header("Authorization", "JWT " + jwt).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(response.statusCode() + " " + response.body());
            }
            JsonNode page = JiraJson.MAPPER.readTree(response.body());
            seen += page.path("issues").size();
            token = page.path("nextPageToken").asText(null);
        } while (token != null);
        return seen;
    }
}
