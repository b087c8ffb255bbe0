package com.triageassistant.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.triageassistant.jira.emulator.ConnectJwts;
import com.triageassistant.jira.emulator.EmulatedIssue;
import com.triageassistant.jira.emulator.EmulatedSite;
import com.triageassistant.jira.emulator.EmulatedUser;
import com.triageassistant.jira.emulator.IssueEdit;
import com.triageassistant.jira.emulator.JiraEmulator;
import com.triageassistant.support.AppInstance;
import com.triageassistant.support.NodeSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Jira's webhooks, delivered by the emulator over HTTP, end in the app's store exactly as Jira holds them. */
class WebhookIngestTest {

    @TempDir
    static Path dataDir;

    static JiraEmulator jira;
    static AppInstance app;
    static EmulatedSite site;
    static EmulatedUser alice;
    static EmulatedUser bob;
    static EmulatedUser carol;

    @BeforeAll
    static void start() {
        jira = new JiraEmulator();
        app = AppInstance.start(NodeSpec.single(dataDir), Map.of(
                "atlassian.connect.public-key-base-url", jira.keyServerUrl(),
                "triage.ingest.poll-interval", "200ms",
                "triage.ingest.retry-initial-delay", "50ms",
                "triage.ingest.max-attempts", "3",
                "triage.ingest.max-webhook-size", "64KB"));
        site = jira.createSite("hooks");
        site.createProject("ACME", "Acme", List.of("Bug", "Task", "Story"), List.of("api", "ui", "db"));
        alice = site.createUser("Alice");
        bob = site.createUser("Bob");
        carol = site.createUser("Carol");
        site.makeAssignable("ACME", alice.accountId(), bob.accountId(), carol.accountId());
        assertThat(site.install(app.url())).isEqualTo(204);
    }

    @AfterAll
    static void stop() {
        app.close();
        jira.close();
    }

    @Test
    void duplicatedReorderedAndRetriedDeliveriesEndInJirasFinalState() {
        site.createProject("ORD", "Ordering", List.of("Bug", "Task"), List.of("api"));
        site.makeAssignable("ORD", alice.accountId(), bob.accountId(), carol.accountId());
        site.webhookFaults().duplicateNext(15).dropNext(6).hold();
        Random random = new Random(7);
        List<EmulatedIssue> created = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            created.add(site.createIssue("ORD", i % 2 == 0 ? "Bug" : "Task", "Login fails " + i,
                    adf("Stack trace " + i + "\nat com.acme.Login(Login.java:" + i + ")"), List.of("api"),
                    List.of(), "Medium", null, alice.accountId()));
        }
        List<String> people = List.of(alice.accountId(), bob.accountId(), carol.accountId());
        for (int round = 0; round < 60; round++) {
            EmulatedIssue issue = created.get(random.nextInt(created.size()));
            IssueEdit edit = IssueEdit.create().assignee(people.get(random.nextInt(3)))
                    .priority(List.of("High", "Medium", "Low").get(random.nextInt(3)));
            if (random.nextBoolean()) {
                edit.addLabel("label-" + random.nextInt(4));
            } else {
                edit.removeLabel("label-" + random.nextInt(4));
            }
            site.editIssue(issue.key(), bob.accountId(), edit);
        }
        site.deleteIssue(created.get(3).key(), alice.accountId());
        site.releaseHeldWebhooks(11);

        assertThat(site.awaitWebhooks(Duration.ofSeconds(30))).isTrue();
        awaitStoreMatches("ORD");
        IssueStore store = app.bean(IssueStore.class);
        assertThat(store.isTombstone(site.clientKey(), created.get(3).id())).isTrue();
        assertThat(site.deliveries()).anyMatch(attempt -> attempt.dropped());
    }

    @Test
    void sameIdentifierTwiceIsStoredOnceAndMissingIdentifierFallsBackToContent() {
        WebhookInbox inbox = app.bean(WebhookInbox.class);
        String body = issuePayload("jira:issue_created", 990_001, "ACME-9001", "Dedupe me").toString();
        long before = inbox.count(site.clientKey(), WebhookInbox.DONE) + inbox.count(site.clientKey(), WebhookInbox.PENDING);

        for (int i = 0; i < 3; i++) {
            assertThat(post("/webhooks/issue-created", body, "fixed-identifier-1").statusCode()).isEqualTo(204);
            assertThat(post("/webhooks/issue-created", body, null).statusCode()).isEqualTo(204);
        }

        long after = inbox.count(site.clientKey(), WebhookInbox.DONE) + inbox.count(site.clientKey(), WebhookInbox.PENDING);
        assertThat(after - before).isEqualTo(2);
        await().atMost(Duration.ofSeconds(10)).until(() ->
                app.bean(IssueStore.class).find(site.clientKey(), 990_001).isPresent());
    }

    @Test
    void badRequestsGetClearErrorsAndStoreNothing() {
        WebhookInbox inbox = app.bean(WebhookInbox.class);
        long pending = inbox.count(site.clientKey(), WebhookInbox.PENDING) + inbox.count(site.clientKey(), WebhookInbox.DONE);

        assertThat(post("/webhooks/issue-created", "{\"padding\":\"" + "x".repeat(70_000) + "\"}", "big").statusCode())
                .isEqualTo(413);
        assertThat(post("/webhooks/issue-created", "{not json", "malformed").statusCode()).isEqualTo(400);
        assertThat(post("/webhooks/issue-created", "[1,2]", "array").statusCode()).isEqualTo(400);
        assertThat(post("/webhooks/issue-created", "{} {}", "two-objects").statusCode()).isEqualTo(400);
        assertThat(post("/webhooks/no-such-event", "{}", "unknown-event").statusCode()).isEqualTo(404);
        String stranger = ConnectJwts.hs256("a-secret-of-nobody-a-secret-of-nobody", ConnectJwts.claims(
                "unknown-tenant", ConnectJwts.qsh("POST", "/webhooks/issue-created"), Duration.ofMinutes(3)).build());
        assertThat(site.callAppWithToken("POST", "/webhooks/issue-created", "{}", stranger).statusCode())
                .isEqualTo(401);

        assertThat(inbox.count(site.clientKey(), WebhookInbox.PENDING) + inbox.count(site.clientKey(), WebhookInbox.DONE))
                .isEqualTo(pending);
    }

    @Test
    void aTokenInTheQueryStringIsCheckedLikeOneInTheHeader() {
        WebhookInbox inbox = app.bean(WebhookInbox.class);
        long before = inbox.count(site.clientKey(), WebhookInbox.DONE) + inbox.count(site.clientKey(), WebhookInbox.PENDING);
        String body = issuePayload("jira:issue_created", 990_002, "ACME-9002", "Signed in the query").toString();
        String path = "/webhooks/issue-created";

        assertThat(postWithQueryToken(path, body, site.requestToken("POST", path, null)).statusCode()).isEqualTo(204);
        String forged = ConnectJwts.hs256("a-secret-of-nobody-a-secret-of-nobody",
                ConnectJwts.claims(site.clientKey(), ConnectJwts.qsh("POST", path), Duration.ofMinutes(3)).build());
        assertThat(postWithQueryToken(path, body.replace("ACME-9002", "ACME-9003"), forged).statusCode())
                .isEqualTo(401);
        assertThat(postWithQueryToken(path, body, site.requestToken("POST", "/webhooks/issue-deleted", null))
                .statusCode()).isEqualTo(401);

        assertThat(inbox.count(site.clientKey(), WebhookInbox.DONE) + inbox.count(site.clientKey(), WebhookInbox.PENDING))
                .isEqualTo(before + 1);
    }

    private static java.net.http.HttpResponse<String> postWithQueryToken(String path, String body, String token) {
        return com.triageassistant.jira.emulator.Http.send(java.net.http.HttpClient.newHttpClient(),
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(app.url() + path + "?jwt=" + token))
                        .header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build());
    }

    @Test
    void poisonedDeliveriesAreParkedReportedAndReplayableWithoutStoppingOthers() {
        assertThat(post("/webhooks/issue-updated", "{\"webhookEvent\":\"jira:issue_updated\",\"issue\":{\"id\":\"abc\"}}",
                "poison-1").statusCode()).isEqualTo(204);
        assertThat(post("/webhooks/issue-updated", "{\"hello\":\"world\"}", "poison-2").statusCode()).isEqualTo(204);
        EmulatedIssue healthy = site.createIssue("ACME", "Bug", "Healthy after poison", adf("fine"), List.of(),
                List.of(), "Low", null, carol.accountId());
        assertThat(site.awaitWebhooks(Duration.ofSeconds(10))).isTrue();

        await().atMost(Duration.ofSeconds(10)).until(() ->
                app.bean(IssueStore.class).find(site.clientKey(), healthy.id()).isPresent());
        await().atMost(Duration.ofSeconds(10)).until(() -> deadIds().containsAll(List.of("poison-1", "poison-2")));
        var dead = site.callApp("GET", "/api/inbox/dead", null, null);
        assertThat(dead.statusCode()).isEqualTo(200);
        assertThat(dead.body()).contains("poison-1").contains("invalid content");

        assertThat(site.callApp("POST", "/api/inbox/dead/poison-1/replay", null, null).statusCode()).isEqualTo(202);
        assertThat(site.callApp("POST", "/api/inbox/dead/no-such/replay", null, null).statusCode()).isEqualTo(404);
        await().atMost(Duration.ofSeconds(10)).until(() -> deadIds().contains("poison-1"));
    }

    @Test
    void aTenantsWebhookNeverChangesAnotherTenantsData() {
        EmulatedSite other = jira.createSite("other");
        other.createProject("ACME", "Other's Acme", List.of("Bug"), List.of("api"));
        EmulatedUser dave = other.createUser("Dave");
        other.makeAssignable("ACME", dave.accountId());
        assertThat(other.install(app.url())).isEqualTo(204);
        EmulatedIssue victim = other.createIssue("ACME", "Bug", "Other tenant's issue", adf("theirs"), List.of(),
                List.of(), "Medium", null, dave.accountId());
        assertThat(other.awaitWebhooks(Duration.ofSeconds(10))).isTrue();
        IssueStore store = app.bean(IssueStore.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> store.find(other.clientKey(), victim.id()).isPresent());

        ObjectNode forged = issuePayload("jira:issue_updated", victim.id(), victim.key(), "Overwritten by A");
        forged.put("clientKey", other.clientKey());
        assertThat(post("/webhooks/issue-updated", forged.toString(), "cross-tenant").statusCode()).isEqualTo(204);
        await().atMost(Duration.ofSeconds(10)).until(() -> store.find(site.clientKey(), victim.id()).isPresent());

        assertThat(store.find(other.clientKey(), victim.id()).orElseThrow().summary()).isEqualTo("Other tenant's issue");
        assertThat(store.find(site.clientKey(), victim.id()).orElseThrow().summary()).isEqualTo("Overwritten by A");
    }

    @Test
    void deletedUsersAreAnonymisedAndDeletedProjectsErasedForGood() {
        site.createProject("GONE", "Gone", List.of("Bug"), List.of("api"));
        EmulatedUser erin = site.createUser("Erin");
        site.makeAssignable("GONE", erin.accountId());
        site.makeAssignable("ACME", erin.accountId());
        EmulatedIssue erins = site.createIssue("ACME", "Bug", "Erin's issue", adf("e"), List.of(), List.of(),
                "Medium", erin.accountId(), erin.accountId());
        EmulatedIssue doomed = site.createIssue("GONE", "Bug", "Doomed", adf("d"), List.of(), List.of(), "Medium",
                null, erin.accountId());
        assertThat(site.awaitWebhooks(Duration.ofSeconds(10))).isTrue();
        IssueStore store = app.bean(IssueStore.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> store.find(site.clientKey(), doomed.id()).isPresent()
                && store.find(site.clientKey(), erins.id()).isPresent());

        site.deleteUser(erin.accountId());
        site.deleteProject("GONE");
        assertThat(site.awaitWebhooks(Duration.ofSeconds(10))).isTrue();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            IssueRecord anonymised = store.find(site.clientKey(), erins.id()).orElseThrow();
            assertThat(anonymised.assignee()).isNull();
            assertThat(anonymised.reporter()).isNull();
            assertThat(store.countLive(site.clientKey(), "GONE")).isZero();
        });
        // A late, older delivery can bring back neither.
        ObjectNode late = issuePayload("jira:issue_updated", doomed.id(), doomed.key(), "Late");
        late.with("issue").with("fields").put("updated", "2020-01-01T00:00:00.000+0000");
        late.with("issue").with("fields").with("assignee").put("accountId", erin.accountId());
        assertThat(post("/webhooks/issue-updated", late.toString(), "late-1").statusCode()).isEqualTo(204);
        ObjectNode lateErin = issuePayload("jira:issue_updated", 990_777, "ACME-9777", "Late Erin");
        lateErin.with("issue").with("fields").with("assignee").put("accountId", erin.accountId());
        assertThat(post("/webhooks/issue-updated", lateErin.toString(), "late-2").statusCode()).isEqualTo(204);
        await().atMost(Duration.ofSeconds(10)).until(() -> store.find(site.clientKey(), 990_777).isPresent());
        assertThat(store.find(site.clientKey(), 990_777).orElseThrow().assignee()).isNull();
        assertThat(store.countLive(site.clientKey(), "GONE")).isZero();
    }

    private static void awaitStoreMatches(String projectKey) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                EmulatorState.assertStoreMatches(app.bean(IssueStore.class), site.clientKey(), site, projectKey));
    }

    private static List<String> deadIds() {
        return app.bean(WebhookInbox.class).dead(site.clientKey()).stream().map(WebhookInbox.Delivery::deliveryId)
                .toList();
    }

    private static java.net.http.HttpResponse<String> post(String path, String body, String identifier) {
        java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(app.url() + path))
                .header("Content-Type", "application/json")
                .header("Authorization", "JWT " + site.requestToken("POST", path, null))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body));
        if (identifier != null) {
            request.header("X-Atlassian-Webhook-Identifier", identifier);
        }
        return com.triageassistant.jira.emulator.Http.send(java.net.http.HttpClient.newHttpClient(), request.build());
    }

    static ObjectNode issuePayload(String event, long id, String key, String summary) {
        ObjectNode payload = com.fasterxml.jackson.databind.json.JsonMapper.builder().build().createObjectNode();
        payload.put("timestamp", System.currentTimeMillis()).put("webhookEvent", event);
        ObjectNode issue = payload.putObject("issue").put("id", String.valueOf(id)).put("key", key);
        ObjectNode fields = issue.putObject("fields");
        fields.put("summary", summary);
        fields.set("description", adf("Body of " + key));
        fields.putObject("issuetype").put("name", "Bug");
        fields.putObject("project").put("key", key.substring(0, key.indexOf('-')));
        fields.putArray("components");
        fields.putArray("labels");
        fields.putObject("priority").put("name", "Medium");
        fields.putObject("assignee").put("accountId", alice.accountId());
        fields.putObject("reporter").put("accountId", alice.accountId());
        String now = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ")
                .withZone(java.time.ZoneOffset.UTC).format(java.time.Instant.now());
        fields.put("created", now).put("updated", now);
        return payload;
    }

    static ObjectNode adf(String text) {
        ObjectNode doc = com.fasterxml.jackson.databind.json.JsonMapper.builder().build().createObjectNode()
                .put("type", "doc").put("version", 1);
        var content = doc.putArray("content");
        content.addObject().put("type", "paragraph").putArray("content").addObject().put("type", "text")
                .put("text", text.lines().findFirst().orElse(""));
        if (text.contains("\n")) {
            content.addObject().put("type", "codeBlock").putArray("content").addObject().put("type", "text")
                    .put("text", text.substring(text.indexOf('\n') + 1));
        }
        return doc;
    }
}
