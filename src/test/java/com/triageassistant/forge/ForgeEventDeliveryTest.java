package com.triageassistant.forge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.triageassistant.ingest.BackfillRepository;
import com.triageassistant.ingest.EmulatorState;
import com.triageassistant.ingest.IssueStore;
import com.triageassistant.jira.emulator.AppRequest;
import com.triageassistant.jira.emulator.EmulatedIssue;
import com.triageassistant.jira.emulator.EmulatedSite;
import com.triageassistant.jira.emulator.EmulatedUser;
import com.triageassistant.jira.emulator.Http;
import com.triageassistant.jira.emulator.IssueEdit;
import com.triageassistant.jira.emulator.JiraEmulator;
import com.triageassistant.jira.generator.GeneratorConfig;
import com.triageassistant.jira.generator.ProjectGenerator;
import com.triageassistant.support.AppInstance;
import com.triageassistant.support.EmulatorTrust;
import com.triageassistant.support.NodeSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Forge's events arrive duplicated, dropped and redelivered, delayed and out of order, and the app token runs out in
 * the middle of a backfill: every event is stored once, the store ends equal to Jira's final state, and the backfill
 * goes on with the next token, never with an expired one.
 */
class ForgeEventDeliveryTest {

    static final Path MANIFEST = EmulatorTrust.FORGE_MANIFEST;

    @TempDir
    static Path dataDir;

    static JiraEmulator jira;
    static AppInstance app;

    @BeforeAll
    static void start() {
        jira = new JiraEmulator();
        app = AppInstance.start(NodeSpec.single(dataDir), EmulatorTrust.properties(jira, Map.of(
                "triage.ml.enabled", "false",
                "triage.ingest.poll-interval", "200ms",
                "triage.ingest.backfill-page-size", "50",
                "triage.ingest.backfill-retry-max-delay", "2s",
                "triage.forge.token-renew-margin", "500ms")));
    }

    @AfterAll
    static void stop() {
        app.close();
        jira.close();
    }

    @Test
    void duplicatedDroppedDelayedAndReorderedEventsEndInJirasFinalState() {
        EmulatedSite site = jira.createSite("forge-order");
        site.createProject("ORD", "Ordering", List.of("Bug", "Task"), List.of("api", "ui"));
        EmulatedUser alice = site.createUser("Alice");
        EmulatedUser bob = site.createUser("Bob");
        site.makeAssignable("ORD", alice.accountId(), bob.accountId());
        String tenant = site.installForge(MANIFEST, app.url()).installationId();
        assertThat(site.awaitForgeEvents(Duration.ofSeconds(30))).isTrue();

        site.forgeEventFaults().duplicateNext(12).dropNext(5).delay(Duration.ofMillis(20)).hold();
        Random random = new Random(3);
        List<EmulatedIssue> created = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            created.add(site.createIssue("ORD", i % 2 == 0 ? "Bug" : "Task", "Export fails " + i, null,
                    List.of("api"), List.of(), "Medium", null, alice.accountId()));
        }
        for (int round = 0; round < 40; round++) {
            EmulatedIssue issue = created.get(random.nextInt(created.size()));
            IssueEdit edit = IssueEdit.create().assignee(random.nextBoolean() ? alice.accountId() : bob.accountId())
                    .priority(List.of("High", "Medium", "Low").get(random.nextInt(3)));
            if (random.nextBoolean()) {
                edit.addLabel("label-" + random.nextInt(3));
            } else {
                edit.removeLabel("label-" + random.nextInt(3));
            }
            site.editIssue(issue.key(), bob.accountId(), edit);
        }
        site.deleteIssue(created.get(2).key(), alice.accountId());
        site.releaseHeldForgeEvents(5);

        assertThat(site.awaitForgeEvents(Duration.ofSeconds(60))).isTrue();
        IssueStore store = app.bean(IssueStore.class);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                EmulatorState.assertStoreMatches(store, tenant, site, "ORD"));
        assertThat(site.forgeDeliveries()).anyMatch(attempt -> attempt.dropped());
        // Each event is one inbox row however often it was delivered, duplicated or redelivered.
        long events = site.forgeDeliveries().stream().filter(d -> d.event().startsWith("avi:jira:"))
                .map(d -> d.identifier()).distinct().count();
        assertThat(site.forgeDeliveries().stream().filter(d -> d.event().startsWith("avi:jira:")).count())
                .isGreaterThan(events);
        assertThat(inboxRows(tenant)).isEqualTo(events);
    }

    @Test
    void aTokenThatExpiresMidBackfillIsNeverUsedAndTheBackfillGoesOnWithTheNextOne() {
        jira.forge().tokenLifetime(Duration.ofSeconds(3));
        EmulatedSite site = jira.createSite("forge-expiry");
        site.load(new ProjectGenerator(GeneratorConfig.defaults(5, "EXP").withIssueCount(600)).generate());
        // Pages slow enough that the backfill outlives the install's token.
        site.faults().slow("/rest/api/3/search/jql", 1_000, Duration.ofMillis(400));
        String tenant = site.installForge(MANIFEST, app.url()).installationId();
        BackfillRepository backfills = app.bean(BackfillRepository.class);

        await().atMost(Duration.ofSeconds(60)).until(() -> backfills.list(tenant).stream()
                .anyMatch(b -> b.lastError() != null && b.lastError().contains("app token")));
        assertThat(backfills.list(tenant)).noneMatch(b -> b.state().equals("DONE"));

        // Forge's next scheduled trigger brings a new token, and the backfill takes it.
        jira.forge().tokenLifetime(Duration.ofHours(1));
        site.runScheduledTriggers();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                EmulatorState.assertStoreMatches(app.bean(IssueStore.class), tenant, site, "EXP"));
        assertThat(jira.forge().apiCalls()).filteredOn(call -> call.path().startsWith("/ex/jira/" + site.cloudId()))
                .extracting(AppRequest::status).doesNotContain(401);
    }

    @Test
    void badBodiesGetClearErrorsAndStoreNothingWhileAWrappedEventIsRead() {
        EmulatedSite site = jira.createSite("forge-bad-input");
        site.createProject("BAD", "Bad", List.of("Bug"), List.of("api"));
        EmulatedUser pat = site.createUser("Pat");
        EmulatedIssue issue = site.createIssue("BAD", "Bug", "Real summary", null, List.of("api"), List.of(),
                "Medium", null, pat.accountId());
        String tenant = site.installForge(MANIFEST, app.url()).installationId();
        assertThat(site.awaitForgeEvents(Duration.ofSeconds(30))).isTrue();
        long before = inboxRows(tenant);
        String created = "{\"eventType\":\"avi:jira:created:issue\",\"atlassianId\":\"" + pat.accountId()
                + "\",\"issue\":{\"id\":\"" + issue.id() + "\",\"key\":\"" + issue.key() + "\",\"fields\":{}}}";

        assertThat(post(site, "not json").statusCode()).isEqualTo(400);
        assertThat(post(site, "[1, 2]").statusCode()).isEqualTo(400);
        assertThat(post(site, "{\"eventType\":\"avi:jira:created:comment\"}").statusCode()).isEqualTo(400);
        assertThat(post(site, created.replace("}}}", "}, \"pad\": \"" + "x".repeat(1_100_000) + "\"}}"))
                .statusCode()).isEqualTo(413);
        assertThat(inboxRows(tenant)).isEqualTo(before);

        // Atlassian's pages also show the event wrapped in "payload"; the issue is read from Jira either way.
        HttpResponse<String> wrapped = post(site, "{\"payload\":" + created + "}");
        assertThat(wrapped.statusCode()).isEqualTo(204);
        IssueStore store = app.bean(IssueStore.class);
        await().atMost(Duration.ofSeconds(20)).until(() -> store.find(tenant, issue.id()).isPresent());
        assertThat(store.find(tenant, issue.id()).orElseThrow().summary()).isEqualTo("Real summary");
    }

    private static HttpResponse<String> post(EmulatedSite site, String body) {
        String fit = jira.forge().invocationToken(site, "core:endpoint", "forge-events")
                .signedWith(jira.forge().currentKey());
        return Http.send(HttpClient.newHttpClient(), HttpRequest.newBuilder(URI.create(app.url() + "/forge/events"))
                .header("Authorization", "Bearer " + fit).header("Content-Type", "application/json")
                .header("x-forge-oauth-system", jira.forge().issueSystemToken(site))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static long inboxRows(String tenant) {
        return app.bean(com.triageassistant.store.IgniteSql.class).query(
                "SELECT COUNT(*) FROM webhook_inbox WHERE client_key = ?", row -> row.longValue(0), tenant).get(0);
    }
}
