package com.triageassistant.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.triageassistant.ingest.IssueRecord;
import com.triageassistant.ingest.IssueStore;
import com.triageassistant.jira.emulator.EmulatedIssue;
import com.triageassistant.jira.emulator.EmulatedSite;
import com.triageassistant.jira.emulator.JiraEmulator;
import com.triageassistant.jira.generator.GeneratorConfig;
import com.triageassistant.jira.generator.ProjectGenerator;
import com.triageassistant.store.IgniteSql;
import com.triageassistant.store.TenantDataEraser;
import com.triageassistant.suggest.SuggestionStore;
import com.triageassistant.support.AppInstance;
import com.triageassistant.support.NodeSpec;
import com.triageassistant.support.SidecarProcesses;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * From install to served models with the real sidecar: the backfill triggers training of every target on a
 * generated project; the guard keeps a worse model out; a sidecar killed mid-training costs a retry, not the job.
 * One trained project is shared (training it is the expensive part), so the tests that damage it run last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TrainingTest {

    @TempDir
    static Path dataDir;

    static JiraEmulator jira;
    static AppInstance app;
    static EmulatedSite site;
    static ModelRegistry registry;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() {
        jira = new JiraEmulator();
        app = AppInstance.start(NodeSpec.single(dataDir), Map.of(
                "atlassian.connect.public-key-base-url", jira.keyServerUrl(),
                "triage.training.retry-initial-delay", "200ms",
                "triage.ml.restart-backoff-initial", "200ms",
                "triage.ml.ping-interval", "300ms"));
        registry = app.bean(ModelRegistry.class);
        site = jira.createSite("learn");
        site.load(new ProjectGenerator(GeneratorConfig.defaults(7, "LRN").withIssueCount(3_000)).generate());
        assertThat(site.install(app.url())).isEqualTo(204);
        await().atMost(Duration.ofMinutes(3)).until(() -> List.of("assignee", "labels", "components", "priority")
                .stream().allMatch(target -> registry.active(site.clientKey(), "LRN", target).isPresent()));
    }

    @AfterAll
    static void stop() {
        app.close();
        jira.close();
    }

    @Test
    @Order(1)
    void aBackfilledProjectGetsModelsFarAboveTheMajorityBaseline() throws Exception {
        JsonNode assignee = result("assignee");
        JsonNode priority = result("priority");
        JsonNode components = result("components");

        assertThat(assignee.path("holdout").path("top3").asDouble())
                .isGreaterThan(assignee.path("holdout").path("baseline_majority").path("top3").asDouble() + 0.2);
        assertThat(priority.path("holdout").path("macro_f1").asDouble())
                .isGreaterThan(priority.path("holdout").path("baseline_majority").path("macro_f1").asDouble());
        assertThat(components.path("holdout").path("micro_f1").asDouble())
                .isGreaterThan(components.path("holdout").path("baseline_majority").path("micro_f1").asDouble() + 0.2);
        assertThat(assignee.path("n_test").asInt()).isGreaterThan(100);
    }

    @Test
    @Order(3)
    void aWorseModelIsNotPutInServiceAndTheActiveOneStays() {
        ModelRegistry.ModelVersion before = registry.active(site.clientKey(), "LRN", "assignee").orElseThrow();
        scrambleTrainingAssignees();

        train("assignee");
        await().atMost(Duration.ofMinutes(1)).until(() -> newest("assignee").version() > before.version());

        // Scrambled assignees lose to the active model and, usually, to the prior too: either keeps it out.
        ModelRegistry.ModelVersion worse = newest("assignee");
        assertThat(worse.status()).isIn(ModelRegistry.REJECTED, ModelRegistry.BELOW_BASELINE);
        if (worse.status().equals(ModelRegistry.REJECTED)) {
            assertThat(worse.mainValue()).isLessThan(worse.comparedWith() - 0.02);
        }
        assertThat(registry.active(site.clientKey(), "LRN", "assignee")).get()
                .extracting(ModelRegistry.ModelVersion::version).isEqualTo(before.version());
    }

    @Test
    @Order(4)
    void aSidecarKilledMidTrainingCostsARetryNotTheJob() throws Exception {
        int before = newest("labels").version();
        SidecarClient sidecar = app.bean(SidecarClient.class);
        long pid = sidecar.status().pid();

        // Frozen first, so the training cannot finish before the kill however fast this machine is.
        SidecarProcesses.freeze(pid);
        train("labels");
        await().atMost(Duration.ofSeconds(30)).until(() -> app.bean(TrainingJobs.class)
                .find(site.clientKey(), "LRN", "labels").map(job -> job.state().equals(TrainingJobs.RUNNING))
                .orElse(false));
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);

        await().atMost(Duration.ofMinutes(1)).until(() -> newest("labels").version() > before);
        assertThat(sidecar.status().pid()).isNotEqualTo(pid);
        // The runner records the model, then closes the job: the row can still say RUNNING for a moment.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(app.bean(TrainingJobs.class)
                .find(site.clientKey(), "LRN", "labels")).get()
                .extracting(TrainingJobs.Job::state).isIn(TrainingJobs.DONE, TrainingJobs.PENDING));
        assertThat(app.get("/actuator/health", null).statusCode()).isEqualTo(200);
    }

    @Test
    @Order(2)
    void aNewIssueGetsRankedExplainedSuggestionsForEveryTarget() throws Exception {
        IssueRecord template = app.bean(IssueStore.class).projectIssues(site.clientKey(), "LRN").get(0);
        EmulatedIssue created = site.createIssue("LRN", template.issueType(), template.summary(), null,
                template.components(), List.of(), "Medium", null, template.reporter());

        await().atMost(Duration.ofSeconds(30)).until(() -> suggestions(created.id()).size() == 4);

        List<SuggestionStore.Suggestion> stored = suggestions(created.id());
        assertThat(stored).extracting(SuggestionStore.Suggestion::target)
                .containsExactly("assignee", "components", "labels", "priority");
        JsonNode assignee = JSON.readTree(stored.get(0).ranked());
        assertThat(assignee.size()).as("the top-k the app asks for").isBetween(1, ServingProperties.MIN_TOP_K);
        assertThat(assignee.get(0).path("p").asDouble()).isBetween(0.0, 1.0);
        assertThat(assignee.get(0).path("because")).isNotEmpty();
        assertThat(stored.get(0).modelVersion()).isEqualTo(registry.active(site.clientKey(), "LRN", "assignee")
                .orElseThrow().version());
    }

    @Test
    @Order(5)
    void aModelTheSidecarCannotReadIsRetiredAndRetrained() {
        ModelRegistry.ModelVersion broken = registry.active(site.clientKey(), "LRN", "priority").orElseThrow();
        app.bean(IgniteSql.class).update("UPDATE model SET artifact = ? WHERE client_key = ? AND project_key = ? "
                + "AND target = ? AND version = ?", new byte[]{'T', 'R', 'I', 'A', 'G', 'E', 0, 1}, site.clientKey(),
                "LRN", "priority", broken.version());
        IssueRecord template = app.bean(IssueStore.class).projectIssues(site.clientKey(), "LRN").get(1);

        site.createIssue("LRN", template.issueType(), template.summary(), null, template.components(), List.of(),
                "Medium", null, template.reporter());

        await().atMost(Duration.ofMinutes(1)).until(() -> registry.active(site.clientKey(), "LRN", "priority")
                .map(model -> model.version() > broken.version()).orElse(false));
        assertThat(registry.versions(site.clientKey(), "LRN", "priority")).filteredOn(
                model -> model.version() == broken.version()).extracting(ModelRegistry.ModelVersion::status)
                .containsExactly(ModelRegistry.RETIRED);
    }

    @Test
    @Order(99) // uninstalls the shared site
    void aModelTrainedWhileItsSiteUninstalledIsNotKept() {
        SidecarClient sidecar = app.bean(SidecarClient.class);
        ProcessHandle frozen = SidecarProcesses.freeze(sidecar.status().pid());
        try {
            train("labels");
            await().atMost(Duration.ofSeconds(30)).until(() -> app.bean(TrainingJobs.class)
                    .find(site.clientKey(), "LRN", "labels").map(job -> job.state().equals(TrainingJobs.RUNNING))
                    .orElse(false));
            assertThat(site.uninstall()).isEqualTo(204);
            await().atMost(Duration.ofSeconds(30)).until(() -> tenantRows().isEmpty());
        } finally {
            SidecarProcesses.thaw(frozen);
        }
        // The training call now returns; its model, job state and suggestions must not bring the tenant back.
        await().during(Duration.ofSeconds(10)).atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> assertThat(tenantRows()).isEmpty());
    }

    /** The site's rows in every tenant table, as "table: count". */
    private static List<String> tenantRows() {
        IgniteSql sql = app.bean(IgniteSql.class);
        return app.bean(TenantDataEraser.class).tenantTables().stream()
                .map(table -> table + ": " + sql.query("SELECT COUNT(*) FROM \"" + table + "\" WHERE client_key = ?",
                        row -> row.longValue(0), site.clientKey()).get(0))
                .filter(count -> !count.endsWith(": 0")).toList();
    }

    private static List<SuggestionStore.Suggestion> suggestions(long issueId) {
        return app.bean(SuggestionStore.class).find(site.clientKey(), issueId);
    }

    private static void train(String target) {
        app.bean(TrainingJobRunner.class).request(site.clientKey(), "LRN", target, "test", Instant.now());
    }

    /** The oldest 80% get a wrong assignee; the newest 20% (the hold-out) keep the truth. */
    private static void scrambleTrainingAssignees() {
        IgniteSql sql = app.bean(IgniteSql.class);
        List<IssueRecord> issues = app.bean(IssueStore.class).projectIssues(site.clientKey(), "LRN").stream()
                .sorted(Comparator.comparing(IssueRecord::created)).toList();
        List<String> people = issues.stream().map(IssueRecord::assignee).filter(a -> a != null).distinct().sorted()
                .toList();
        for (int i = 0; i < issues.size() * 8 / 10; i++) {
            IssueRecord issue = issues.get(i);
            if (issue.assignee() != null) {
                String wrong = people.get((people.indexOf(issue.assignee()) + 1 + i % 5) % people.size());
                sql.update("UPDATE issue SET assignee = ? WHERE client_key = ? AND issue_id = ?", wrong,
                        site.clientKey(), issue.issueId());
            }
        }
    }

    private static ModelRegistry.ModelVersion newest(String target) {
        return registry.versions(site.clientKey(), "LRN", target).get(0);
    }

    private static JsonNode result(String target) throws Exception {
        Optional<ModelRegistry.ModelVersion> active = registry.active(site.clientKey(), "LRN", target);
        return JSON.readTree(active.orElseThrow().result());
    }
}
