package com.triageassistant.forge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.atlassian.connect.spring.AtlassianHostRepository;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.triageassistant.ingest.EmulatorState;
import com.triageassistant.ingest.IssueRecord;
import com.triageassistant.ingest.IssueStore;
import com.triageassistant.jira.emulator.AppRequest;
import com.triageassistant.jira.emulator.EmulatedIssue;
import com.triageassistant.jira.emulator.EmulatedSite;
import com.triageassistant.jira.emulator.EmulatedUser;
import com.triageassistant.jira.emulator.IssueEdit;
import com.triageassistant.jira.emulator.JiraEmulator;
import com.triageassistant.jira.generator.GeneratorConfig;
import com.triageassistant.jira.generator.ProjectGenerator;
import com.triageassistant.ml.ModelRegistry;
import com.triageassistant.store.IgniteSql;
import com.triageassistant.store.TenantDataEraser;
import com.triageassistant.suggest.FeedbackStore;
import com.triageassistant.suggest.SuggestionStore;
import com.triageassistant.support.AppInstance;
import com.triageassistant.support.EmulatorTrust;
import com.triageassistant.support.NodeSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The app as the remote backend of its Forge app, end to end over Forge only, with the real sidecar: installed from
 * {@code forge/manifest.yml}, history backfilled through {@code /ex/jira/{cloudId}} with the app token, models
 * trained, suggestions stored for an issue that arrives as a Forge event, a person's edit counted as feedback, and a
 * site that uninstalled (Forge says nothing) erased after its silence. A Connect site is served at the same time.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ForgeEndToEndTest {

    static final Path MANIFEST = EmulatorTrust.FORGE_MANIFEST;
    static final String PROJECT = "FRG";
    static final List<String> TARGETS = List.of("assignee", "components", "labels", "priority");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dataDir;

    static JiraEmulator jira;
    static AppInstance app;
    static EmulatedSite site;
    static EmulatedSite connectSite;
    static String tenant;

    @BeforeAll
    static void start() {
        jira = new JiraEmulator();
        app = AppInstance.start(NodeSpec.single(dataDir), EmulatorTrust.properties(jira, Map.of(
                "triage.forge.erase-after", "20s",
                "triage.forge.gone-after", "5s",
                "triage.forge.sweep-interval", "1s",
                "triage.privacy.poll-interval", "200ms",
                "triage.privacy.first-report-delay", "1h",
                "triage.training.retry-initial-delay", "200ms")));
        connectSite = jira.createSite("connect-side");
        connectSite.createProject("CON", "Connect", List.of("Bug"), List.of("api"));
        assertThat(connectSite.install(app.url())).isEqualTo(204);

        site = jira.createSite("forge-side");
        site.load(new ProjectGenerator(GeneratorConfig.defaults(11, PROJECT).withIssueCount(2_000)).generate());
        tenant = site.installForge(MANIFEST, app.url()).installationId();
        // The hourly trigger, every second here: this site must not look gone while the gone one is erased.
        site.startScheduledTriggers(Duration.ofSeconds(1));
    }

    @AfterAll
    static void stop() {
        app.close();
        jira.close();
    }

    @Test
    @Order(1)
    void theInstallationIsATenantWhoseHistoryIsBackfilledWithTheAppToken() {
        await().atMost(Duration.ofMinutes(2)).untilAsserted(() ->
                EmulatorState.assertStoreMatches(app.bean(IssueStore.class), tenant, site, PROJECT));
        assertThat(app.bean(AtlassianHostRepository.class).findById(tenant)).get()
                .satisfies(host -> assertThat(host.getBaseUrl()).isEqualTo(site.baseUrl()));
        List<AppRequest> searches = jira.forge().apiCalls().stream()
                .filter(call -> call.path().endsWith("/rest/api/3/search/jql")).toList();
        assertThat(searches).isNotEmpty().allSatisfy(call -> {
            assertThat(call.path()).startsWith("/ex/jira/" + site.cloudId() + "/");
            assertThat(call.status()).isEqualTo(200);
            assertThat(call.bearerToken()).isNotBlank();
        });
        assertThat(site.appRequests()).noneMatch(call -> call.route() == AppRequest.Route.CONNECT);
    }

    @Test
    @Order(2)
    void modelsAreTrainedAndANewIssueArrivingAsAForgeEventGetsSuggestions() throws Exception {
        ModelRegistry registry = app.bean(ModelRegistry.class);
        await().atMost(Duration.ofMinutes(4)).until(() -> TARGETS.stream()
                .allMatch(target -> registry.active(tenant, PROJECT, target).isPresent()));
        IssueRecord template = app.bean(IssueStore.class).projectIssues(tenant, PROJECT).get(0);

        EmulatedIssue created = site.createIssue(PROJECT, template.issueType(), template.summary(), null,
                template.components(), List.of(), "Medium", null, template.reporter());

        await().atMost(Duration.ofSeconds(60)).until(() -> suggestions(created.id()).size() == TARGETS.size());
        assertThat(suggestions(created.id())).extracting(SuggestionStore.Suggestion::target)
                .containsExactlyElementsOf(TARGETS);
        assertThat(site.forgeDeliveries()).anyMatch(d -> d.event().equals("avi:jira:created:issue"));
    }

    /**
     * A person assigns the issue to someone the app did not offer: an override of its suggestion. The model suggests
     * an assignee only where it is sure enough, so the issue is one of the project's whose assignee it suggests.
     */
    @Test
    @Order(3)
    void aPersonsEditArrivingAsAForgeEventIsCountedAsFeedback() throws Exception {
        List<IssueRecord> templates = app.bean(IssueStore.class).projectIssues(tenant, PROJECT);
        EmulatedIssue created = null;
        for (int i = 1; i < templates.size() && created == null; i++) {
            IssueRecord template = templates.get(i);
            EmulatedIssue candidate = site.createIssue(PROJECT, template.issueType(), template.summary(), null,
                    template.components(), List.of(), "Medium", null, template.reporter());
            await().atMost(Duration.ofSeconds(60)).until(() -> suggestions(candidate.id()).size() == TARGETS.size());
            if (suggestsAValue(suggestions(candidate.id()).get(0))) {
                created = candidate;
            }
        }
        assertThat(created).as("an issue whose assignee the model suggests").isNotNull();
        SuggestionStore.Suggestion assignee = suggestions(created.id()).get(0);
        // Someone the model cannot have offered: new to the project.
        EmulatedUser person = site.createUser("Newcomer");
        site.makeAssignable(PROJECT, person.accountId());
        assertThat(values(assignee.ranked())).doesNotContain(person.accountId());

        site.editIssue(created.key(), site.createUser("Team lead").accountId(),
                IssueEdit.create().assignee(person.accountId()));

        long id = created.id();
        await().atMost(Duration.ofSeconds(30)).until(() -> !app.bean(FeedbackStore.class).forIssue(tenant, id)
                .isEmpty());
        assertThat(app.bean(FeedbackStore.class).forIssue(tenant, id)).singleElement().satisfies(f -> {
            assertThat(f.action()).isEqualTo(FeedbackStore.Action.OVERRIDDEN);
            assertThat(f.target()).isEqualTo("assignee");
            assertThat(f.chosen()).isEqualTo(person.accountId());
        });
    }

    @Test
    @Order(4)
    void theConnectSiteIsServedAtTheSameTimeAndKeptApart() {
        EmulatedUser reporter = connectSite.createUser("Connect reporter");
        EmulatedIssue viaWebhook = connectSite.createIssue("CON", "Bug", "Connect crash", null, List.of("api"),
                List.of(), "Medium", null, reporter.accountId());

        IssueStore store = app.bean(IssueStore.class);
        await().atMost(Duration.ofSeconds(30)).until(() -> store.find(connectSite.clientKey(), viaWebhook.id())
                .isPresent());
        assertThat(store.find(tenant, viaWebhook.id()).filter(i -> i.projectKey().equals("CON"))).isEmpty();
        assertThat(connectSite.appRequests()).allMatch(call -> call.route() == AppRequest.Route.CONNECT);
    }

    @Test
    @Order(5)
    void thePersonalDataReportGoesToAtlassiansApiWithTheAppTokenAndAClosedAccountIsErased() {
        IssueStore store = app.bean(IssueStore.class);
        String closed = store.projectIssues(tenant, PROJECT).stream().map(IssueRecord::reporter)
                .filter(java.util.Objects::nonNull).findFirst().orElseThrow();
        site.personalData().close(closed);
        IgniteSql sql = app.bean(IgniteSql.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> sql.query("SELECT COUNT(*) FROM personal_data_report "
                + "WHERE client_key = ?", row -> row.longValue(0), tenant).get(0) == 1);

        sql.update("UPDATE personal_data_report SET next_report_at = CURRENT_TIMESTAMP() WHERE client_key = ?",
                tenant);

        await().atMost(Duration.ofSeconds(60)).until(() -> store.projectIssues(tenant, PROJECT).stream()
                .noneMatch(issue -> closed.equals(issue.reporter())));
        assertThat(site.personalData().reportedAccountIds()).contains(closed);
        assertThat(jira.forge().apiCalls()).filteredOn(call -> call.path().equals("/app/report-accounts/"))
                .isNotEmpty().allSatisfy(call -> assertThat(call.status()).isIn(200, 204));
    }

    @Test
    @Order(6)
    void aSiteThatUninstalledIsErasedAfterItsSilenceAndNoOtherTenantIsTouched() {
        EmulatedSite gone = jira.createSite("forge-gone");
        gone.createProject("GON", "Gone", List.of("Bug"), List.of("api"));
        EmulatedIssue issue = gone.createIssue("GON", "Bug", "Soon gone", null, List.of("api"), List.of(),
                "Medium", null, gone.createUser("Reporter").accountId());
        String goneTenant = gone.installForge(MANIFEST, app.url()).installationId();
        IssueStore store = app.bean(IssueStore.class);
        await().atMost(Duration.ofSeconds(60)).until(() -> store.find(goneTenant, issue.id()).isPresent());
        long othersBefore = store.countLive(tenant, PROJECT);

        gone.uninstallForge();

        await().atMost(Duration.ofSeconds(90)).until(() -> rowsOf(goneTenant) == 0);
        assertThat(app.bean(AtlassianHostRepository.class).findById(goneTenant)).isEmpty();
        assertThat(store.countLive(tenant, PROJECT)).isEqualTo(othersBefore);
        assertThat(app.bean(AtlassianHostRepository.class).findById(tenant)).isPresent();
        assertThat(app.bean(AtlassianHostRepository.class).findById(connectSite.clientKey())).isPresent();
    }

    private static long rowsOf(String clientKey) {
        IgniteSql sql = app.bean(IgniteSql.class);
        return app.bean(TenantDataEraser.class).tenantTables().stream().mapToLong(table -> sql.query(
                "SELECT COUNT(*) FROM \"" + table + "\" WHERE client_key = ?", row -> row.longValue(0), clientKey)
                .get(0)).sum();
    }

    private static List<SuggestionStore.Suggestion> suggestions(long issueId) {
        return app.bean(SuggestionStore.class).find(tenant, issueId);
    }

    private static boolean suggestsAValue(SuggestionStore.Suggestion row) throws Exception {
        for (JsonNode item : JSON.readTree(row.ranked())) {
            if (item.path("suggest").asBoolean(false)) {
                return true;
            }
        }
        return false;
    }

    private static Set<String> values(String ranked) throws Exception {
        JsonNode items = JSON.readTree(ranked);
        return java.util.stream.StreamSupport.stream(items.spliterator(), false)
                .map(item -> item.path("value").asText()).collect(Collectors.toSet());
    }
}
