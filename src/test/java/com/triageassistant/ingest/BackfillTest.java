package com.triageassistant.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.triageassistant.jira.emulator.AppRequest;
import com.triageassistant.jira.emulator.EmulatedIssue;
import com.triageassistant.jira.emulator.EmulatedSite;
import com.triageassistant.jira.emulator.IssueEdit;
import com.triageassistant.jira.emulator.JiraEmulator;
import com.triageassistant.jira.generator.GeneratedProject;
import com.triageassistant.jira.generator.GeneratorConfig;
import com.triageassistant.jira.generator.ProjectGenerator;
import com.triageassistant.store.IgniteSql;
import com.triageassistant.store.TenantDataEraser;
import com.triageassistant.support.AppInstance;
import com.triageassistant.support.NodeSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The app pulls project histories from the emulator through search/jql, completely, resumably and politely. */
class BackfillTest {

    @TempDir
    static Path dataDir;

    static JiraEmulator jira;
    static AppInstance app;

    @BeforeAll
    static void start() {
        jira = new JiraEmulator();
        app = AppInstance.start(NodeSpec.single(dataDir), Map.of(
                "atlassian.connect.public-key-base-url", jira.keyServerUrl(),
                "triage.ingest.backfill-retry-initial-delay", "100ms"));
    }

    @AfterAll
    static void stop() {
        app.close();
        jira.close();
    }

    @Test
    void tenThousandIssueProjectBackfillsCompletelyWithJirasFields() {
        EmulatedSite site = siteWith("big", 10_000, 21);

        assertThat(site.install(app.url())).isEqualTo(204);

        awaitDone(site, "PROJ", Duration.ofMinutes(2));
        EmulatorState.assertStoreMatches(app.bean(IssueStore.class), site.clientKey(), site, "PROJ");
        BackfillRepository.Backfill backfill = backfill(site, "PROJ");
        assertThat(backfill.issuesDone()).isEqualTo(10_000);
        assertThat(backfill.pagesDone()).isEqualTo(100);
        assertThat(searches(site)).allSatisfy(request -> assertThat(request.query())
                .contains("maxResults=100").contains("fields=summary"));
    }

    @Test
    void stoppedMidwayItResumesFromItsCursorAndFetchesAtMostOnePageTwice() {
        EmulatedSite site = siteWith("resume", 3_000, 22);
        site.faults().slow("/rest/api/3/search/jql", 1_000, Duration.ofMillis(40));
        assertThat(site.install(app.url())).isEqualTo(204);
        await().atMost(Duration.ofSeconds(60)).until(() -> backfillOrNull(site, "PROJ") != null
                && backfill(site, "PROJ").pagesDone() >= 8);

        app.restart();
        site.faults().clear();

        awaitDone(site, "PROJ", Duration.ofMinutes(1));
        EmulatorState.assertStoreMatches(app.bean(IssueStore.class), site.clientKey(), site, "PROJ");
        Map<String, Long> fetchesPerPage = searches(site).stream()
                .collect(Collectors.groupingBy(BackfillTest::pageToken, Collectors.counting()));
        assertThat(fetchesPerPage).hasSize(30);
        assertThat(fetchesPerPage.values().stream().filter(count -> count > 1)).hasSizeLessThanOrEqualTo(1);
        assertThat(fetchesPerPage.values()).allMatch(count -> count <= 2);
    }

    @Test
    void rateLimitStormSlowsItDownButItCompletesAndNeverCallsEarly() {
        EmulatedSite site = siteWith("storm", 800, 23);
        site.faults().rateLimit("/rest/api/3/search/jql", 5, 1);

        assertThat(site.install(app.url())).isEqualTo(204);

        awaitDone(site, "PROJ", Duration.ofMinutes(1));
        EmulatorState.assertStoreMatches(app.bean(IssueStore.class), site.clientKey(), site, "PROJ");
        List<AppRequest> calls = site.appRequests();
        assertThat(calls).filteredOn(call -> call.status() == 429).hasSize(5);
        for (int i = 0; i < calls.size() - 1; i++) {
            if (calls.get(i).status() == 429) {
                assertThat(Duration.between(calls.get(i).at(), calls.get(i + 1).at()))
                        .as("call after the 429 at %s", calls.get(i).at()).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
            }
        }
    }

    @Test
    void serverErrorsAreRetriedWithBackoffAndWebhooksDuringBackfillAreNotLost() {
        EmulatedSite site = siteWith("flaky", 1_500, 24);
        site.faults().serverError("/rest/api/3/search/jql", 3, 503)
                .slow("/rest/api/3/search/jql", 1_000, Duration.ofMillis(30));
        assertThat(site.install(app.url())).isEqualTo(204);

        List<EmulatedIssue> edited = site.issues("PROJ").stream().limit(40).toList();
        String someone = site.issues("PROJ").stream().map(EmulatedIssue::assignee)
                .filter(java.util.Objects::nonNull).filter(id -> site.user(id).orElseThrow().active())
                .findFirst().orElseThrow();
        for (EmulatedIssue issue : edited) {
            site.editIssue(issue.key(), someone, IssueEdit.create().summary(issue.summary() + " (edited live)")
                    .priority("Highest"));
        }

        awaitDone(site, "PROJ", Duration.ofMinutes(1));
        assertThat(site.awaitWebhooks(Duration.ofSeconds(20))).isTrue();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                EmulatorState.assertStoreMatches(app.bean(IssueStore.class), site.clientKey(), site, "PROJ"));
        assertThat(site.appRequests()).filteredOn(call -> call.status() == 503).hasSize(3);
    }

    @Test
    void uninstallErasesIssuesInboxAndBackfillState() {
        EmulatedSite site = siteWith("leaving", 300, 25);
        assertThat(site.install(app.url())).isEqualTo(204);
        awaitDone(site, "PROJ", Duration.ofSeconds(30));
        site.editIssue(site.issues("PROJ").get(0).key(), null, IssueEdit.create().addLabel("last-words"));
        assertThat(site.awaitWebhooks(Duration.ofSeconds(10))).isTrue();
        assertThat(rows(site.clientKey(), "ISSUE")).isEqualTo(300);
        assertThat(rows(site.clientKey(), "WEBHOOK_INBOX")).isPositive();
        assertThat(rows(site.clientKey(), "BACKFILL_STATE")).isEqualTo(1);
        assertThat(app.bean(JiraClient.class).signsFor(site.clientKey())).isTrue();

        assertThat(site.uninstall()).isEqualTo(204);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            for (String table : app.bean(TenantDataEraser.class).tenantTables()) {
                assertThat(rows(site.clientKey(), table)).as(table).isZero();
            }
        });
        assertThat(app.bean(JiraClient.class).signsFor(site.clientKey()))
                .as("the shared secret is not kept in memory either").isFalse();
    }

    private static EmulatedSite siteWith(String name, int issues, long seed) {
        EmulatedSite site = jira.createSite(name);
        GeneratedProject project = new ProjectGenerator(GeneratorConfig.defaults(seed, "PROJ")
                .withIssueCount(issues)).generate();
        site.load(project);
        return site;
    }

    private static void awaitDone(EmulatedSite site, String projectKey, Duration within) {
        await().atMost(within).pollInterval(Duration.ofMillis(200)).until(() -> {
            BackfillRepository.Backfill backfill = backfillOrNull(site, projectKey);
            return backfill != null && backfill.state().equals(BackfillRepository.DONE);
        });
    }

    private static BackfillRepository.Backfill backfill(EmulatedSite site, String projectKey) {
        return app.bean(BackfillRepository.class).find(site.clientKey(), projectKey).orElseThrow();
    }

    private static BackfillRepository.Backfill backfillOrNull(EmulatedSite site, String projectKey) {
        return app.bean(BackfillRepository.class).find(site.clientKey(), projectKey).orElse(null);
    }

    private static List<AppRequest> searches(EmulatedSite site) {
        return site.appRequests().stream().filter(request -> request.path().equals("/rest/api/3/search/jql")).toList();
    }

    private static String pageToken(AppRequest request) {
        for (String pair : request.query().split("&")) {
            if (pair.startsWith("nextPageToken=")) {
                return pair.substring("nextPageToken=".length());
            }
        }
        return "(first page)";
    }

    private static long rows(String clientKey, String table) {
        return app.bean(IgniteSql.class).query("SELECT COUNT(*) FROM \"" + table + "\" WHERE client_key = ?",
                row -> row.longValue(0), clientKey).get(0);
    }
}
