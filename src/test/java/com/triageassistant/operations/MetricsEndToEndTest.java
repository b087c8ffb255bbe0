package com.triageassistant.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.triageassistant.ingest.IssueRecord;
import com.triageassistant.ingest.IssueStore;
import com.triageassistant.jira.emulator.EmulatedIssue;
import com.triageassistant.jira.emulator.EmulatedSite;
import com.triageassistant.jira.emulator.EmulatedUser;
import com.triageassistant.jira.emulator.ForgeInstallation;
import com.triageassistant.jira.emulator.JiraEmulator;
import com.triageassistant.jira.generator.GeneratorConfig;
import com.triageassistant.jira.generator.ProjectGenerator;
import com.triageassistant.ml.ModelRegistry;
import com.triageassistant.suggest.SuggestionStore;
import com.triageassistant.support.AppInstance;
import com.triageassistant.support.EmulatorTrust;
import com.triageassistant.support.NodeSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The app's meters after a small real run, scraped as Prometheus scrapes them: a Connect site installed, backfilled
 * (through one 429) and trained, a new issue's webhook suggested, its glance shown, Apply and Dismiss sent, a
 * delivery parked as dead; a Forge site's event acknowledged. Every meter the run exercised counts it, and the
 * scrape names no tenant, site, project or person. Only the operator token opens the endpoint; health stays open.
 */
class MetricsEndToEndTest {

    static final String PROJECT = "QZM";
    static final String FORGE_PROJECT = "QZF";
    static final String TOKEN = "op-" + java.util.UUID.randomUUID();
    static final List<String> TARGETS = List.of("assignee", "components", "labels", "priority");

    @TempDir
    static Path dataDir;

    static JiraEmulator jira;
    static AppInstance app;
    static EmulatedSite site;
    static EmulatedSite forgeSite;
    static ForgeInstallation forge;
    static Scrape scrape;

    @BeforeAll
    static void run() throws Exception {
        Path tokenFile = dataDir.resolve("operator-token");
        Files.writeString(tokenFile, TOKEN + "\n");
        jira = new JiraEmulator();
        app = AppInstance.start(NodeSpec.single(dataDir.resolve("node")), EmulatorTrust.properties(jira, Map.of(
                "triage.operations.token-file", tokenFile.toString(),
                "triage.operations.gauge-refresh", "300ms")));

        site = jira.createSite("metrics");
        site.load(new ProjectGenerator(GeneratorConfig.defaults(11, PROJECT).withIssueCount(1_500)).generate());
        site.faults().rateLimit("/rest/api/3/search/jql", 1, 1);
        assertThat(site.install(app.url())).isEqualTo(204);
        ModelRegistry registry = app.bean(ModelRegistry.class);
        await().atMost(Duration.ofMinutes(4)).until(() -> TARGETS.stream()
                .allMatch(target -> registry.active(site.clientKey(), PROJECT, target).isPresent()));

        IssueRecord template = app.bean(IssueStore.class).projectIssues(site.clientKey(), PROJECT).get(0);
        EmulatedUser person = site.createUser("Metrics person");
        EmulatedIssue issue = site.createIssue(PROJECT, template.issueType(), template.summary(), null,
                template.components(), List.of(), "Medium", null, template.reporter());
        SuggestionStore suggestions = app.bean(SuggestionStore.class);
        await().atMost(Duration.ofSeconds(60)).until(() -> suggestions.find(site.clientKey(), issue.id()).size()
                == TARGETS.size());
        assertThat(site.callApp("GET", "/glance?issueId=" + issue.id() + "&issueKey=" + issue.key()
                + "&projectKey=" + PROJECT, person.accountId(), null).statusCode()).isEqualTo(200);
        feedback(issue, person, "labels", "accepted");
        feedback(issue, person, "priority", "dismissed");
        // a project_deleted without its project: invalid content, parked at once
        assertThat(site.callApp("POST", "/webhooks/project-deleted", null, "{\"webhookEvent\":\"project_deleted\"}")
                .statusCode()).isEqualTo(204);

        forgeSite = jira.createSite("metrics-forge");
        forgeSite.createProject(FORGE_PROJECT, "Forge side", List.of("Bug"), List.of("api"));
        forge = forgeSite.installForge(EmulatorTrust.FORGE_MANIFEST, app.url());
        EmulatedIssue forgeIssue = forgeSite.createIssue(FORGE_PROJECT, "Bug", "Arrives as a Forge event", null,
                List.of("api"), List.of(), "Medium", null, forgeSite.createUser("Forge reporter").accountId());
        await().atMost(Duration.ofSeconds(60)).until(() -> app.bean(IssueStore.class)
                .find(forge.installationId(), forgeIssue.id()).isPresent());

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            scrape = scrape();
            assertThat(scrape.sum("triage_inbox_dead")).isGreaterThanOrEqualTo(1);
            assertThat(scrape.sum("triage_events_acked_seconds_count", "platform", "forge")).isPositive();
        });
    }

    private static void feedback(EmulatedIssue issue, EmulatedUser person, String target, String action) {
        String value = app.bean(SuggestionStore.class).find(site.clientKey(), issue.id()).stream()
                .filter(row -> row.target().equals(target)).findFirst().orElseThrow().values().get(0).value();
        String body = "{\"target\":\"" + target + "\",\"value\":\"" + value + "\",\"action\":\"" + action + "\"}";
        assertThat(site.callAppWithToken("POST", "/api/issues/" + issue.id() + "/feedback", body,
                site.contextToken(person.accountId())).statusCode()).isEqualTo(204);
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        if (jira != null) {
            jira.close();
        }
    }

    static Scrape scrape() {
        HttpResponse<String> response = Scrape.get(app.url() + "/actuator/prometheus", "Bearer " + TOKEN);
        assertThat(response.statusCode()).isEqualTo(200);
        return new Scrape(response.body());
    }

    @Test
    void eventsAreCountedAndTimedByPlatformAndTheInboxReportsItsBacklog() {
        assertThat(scrape.sum("triage_events_acked_seconds_count", "platform", "connect",
                "event", "jira:issue_created")).isPositive();
        assertThat(scrape.sum("triage_events_acked_seconds_sum", "platform", "connect")).isPositive();
        assertThat(scrape.sum("triage_events_acked_seconds_count", "platform", "forge")).isPositive();
        assertThat(scrape.has("triage_events_acked_seconds_bucket")).as("a histogram, for p99").isTrue();
        assertThat(scrape.has("triage_events_duplicates_total")).isTrue();
        assertThat(scrape.sum("triage_inbox_pending")).isNotNegative();
        assertThat(scrape.has("triage_inbox_oldest_pending_age_seconds")).isTrue();
        assertThat(scrape.sum("triage_inbox_oldest_pending_age_seconds")).isNotNegative();
        assertThat(scrape.sum("triage_inbox_parked_total", "reason", "invalid")).isEqualTo(1);
        assertThat(scrape.sum("triage_inbox_dead")).isEqualTo(1);
    }

    @Test
    void backfillAndJiraCallsAreCountedWithTheRateLimitApart() {
        assertThat(scrape.sum("triage_backfill_issues_total")).isGreaterThanOrEqualTo(1_500);
        assertThat(scrape.sum("triage_backfill_completed_total")).isGreaterThanOrEqualTo(2);
        assertThat(scrape.has("triage_backfill_active")).isTrue();
        assertThat(scrape.sum("triage_jira_requests_seconds_count", "platform", "connect", "status", "2xx"))
                .isPositive();
        assertThat(scrape.sum("triage_jira_requests_seconds_count", "platform", "forge", "status", "2xx"))
                .isPositive();
        assertThat(scrape.sum("triage_jira_requests_seconds_sum", "status", "2xx")).isPositive();
        assertThat(scrape.sum("triage_jira_requests_seconds_count", "platform", "connect", "status", "429"))
                .isEqualTo(1);
    }

    @Test
    void trainingAndTheSidecarAreMeasured() {
        assertThat(scrape.sum("triage_training_runs_seconds_count", "outcome", "active")).isGreaterThanOrEqualTo(4);
        assertThat(scrape.sum("triage_training_runs_seconds_sum")).isPositive();
        assertThat(scrape.has("triage_training_jobs_queued")).isTrue();
        assertThat(scrape.has("triage_training_jobs_running")).isTrue();
        assertThat(scrape.sum("triage_sidecar_calls_seconds_count", "operation", "train", "outcome", "ok"))
                .isGreaterThanOrEqualTo(4);
        assertThat(scrape.sum("triage_sidecar_calls_seconds_count", "operation", "explain", "outcome", "ok"))
                .isPositive();
        assertThat(scrape.sum("triage_sidecar_calls_seconds_sum", "operation", "explain")).isPositive();
        assertThat(scrape.has("triage_sidecar_calls_seconds_bucket")).isTrue();
        assertThat(scrape.sum("triage_serving_batch_size_issues_count")).isPositive();
        assertThat(scrape.sum("triage_sidecar_model_loads_total")).isPositive();
        assertThat(scrape.sum("triage_sidecar_up")).isEqualTo(1);
        assertThat(scrape.sum("triage_sidecar_restarts_total")).isZero();
        assertThat(scrape.has("triage_sidecar_models_loaded")).isTrue();
        assertThat(scrape.sum("triage_model_cache_requests_total")).isPositive();
        assertThat(scrape.has("triage_model_cache_size")).isTrue();
    }

    @Test
    void suggestionsAndWhatPeopleDidWithThemAreCountedByTarget() {
        assertThat(scrape.sum("triage_suggestions_computed_total", "outcome", "stored"))
                .isGreaterThanOrEqualTo(TARGETS.size());
        assertThat(scrape.sum("triage_suggestions_shown_total")).isPositive();
        assertThat(scrape.sum("triage_feedback_total", "target", "labels", "action", "accepted")).isEqualTo(1);
        assertThat(scrape.sum("triage_feedback_total", "target", "priority", "action", "dismissed")).isEqualTo(1);
        assertThat(scrape.has("triage_feedback_total")).isTrue();
    }

    @Test
    void theScrapeNamesNoTenantSiteProjectOrPerson() {
        List<String> secrets = new ArrayList<>(List.of(site.clientKey(), site.sharedSecret(), site.baseUrl(),
                authorityOf(site.baseUrl()), forge.installationId(), forge.cloudId(), forge.siteUrl(),
                authorityOf(forge.siteUrl()), PROJECT, FORGE_PROJECT, TOKEN));
        site.users().forEach(user -> secrets.add(user.accountId()));
        forgeSite.users().forEach(user -> secrets.add(user.accountId()));
        String text = scrape().text();
        assertThat(secrets).allSatisfy(secret -> assertThat(text).doesNotContain(secret));
    }

    @Test
    void onlyTheOperatorTokenOpensTheEndpointAndHealthStaysPublic() {
        String url = app.url() + "/actuator/prometheus";
        HttpResponse<String> none = Scrape.get(url, null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue(OperatorSecurityConfiguration.REALM);
        assertThat(Scrape.get(url, "Bearer " + TOKEN + "x").statusCode()).isEqualTo(401);
        assertThat(Scrape.get(url, "Bearer ").statusCode()).isEqualTo(401);
        // Boot's HTTP Basic user (ACSB's chain would have asked for it) is no way in either
        assertThat(Scrape.get(url, "Basic dXNlcjpwYXNzd29yZA==").statusCode()).isEqualTo(401);
        assertThat(Scrape.get(app.url() + "/actuator/health", null).statusCode()).isEqualTo(200);
        assertThat(Scrape.get(app.url() + "/actuator/health/liveness", null).statusCode()).isEqualTo(200);
    }

    private static String authorityOf(String url) {
        return java.net.URI.create(url).getAuthority();
    }
}
