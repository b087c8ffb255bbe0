package com.triageassistant.security;

import static com.triageassistant.security.SecurityFixture.B_ONLY;
import static com.triageassistant.security.SecurityFixture.PROJECT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.triageassistant.ingest.WebhookInbox;
import com.triageassistant.jira.emulator.ConnectJwts;
import com.triageassistant.jira.emulator.EmulatedIssue;
import com.triageassistant.security.SecurityFixture.Tenant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tenant A's genuine tokens aimed at tenant B's issue ids and project keys. The tenant is always the token's, so A
 * reaches only its own rows: B's issues and projects look to A like ones that do not exist, B's rows stay as they
 * were, and where A and B use the same key or id (as Jira sites do) A gets its own.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CrossTenantTest {

    @TempDir
    static Path dataDir;

    static SecurityFixture fx;
    static Tenant a;
    static Tenant b;
    /** An issue of B's with an id A's site never used. */
    static EmulatedIssue bOnly;

    @BeforeAll
    static void start() {
        fx = SecurityFixture.start(dataDir);
        a = fx.a;
        b = fx.b;
        bOnly = b.issues().stream().filter(issue -> issue.projectKey().equals(B_ONLY)).findFirst().orElseThrow();
        assertThat(a.issues()).noneMatch(issue -> issue.id() == bOnly.id());
        assertThat(a.issue().id()).as("ids collide across sites").isEqualTo(b.issue().id());
    }

    @AfterAll
    static void stop() {
        if (fx != null) {
            fx.close();
        }
    }

    @Test
    void glanceOfAnotherTenantsIssueShowsNothingOfIt() {
        var before = fx.rows(b.clientKey());

        HttpResponse<String> page = requestAsA("GET", "/glance?issueId=" + bOnly.id() + "&issueKey=" + bOnly.key()
                + "&projectId=10001&projectKey=" + B_ONLY);
        HttpResponse<String> refresh = contextAsA("GET", "/api/issues/" + bOnly.id() + "/glance?issueKey="
                + bOnly.key() + "&projectKey=" + B_ONLY, null);
        HttpResponse<String> data = contextAsA("GET", "/api/issues/" + bOnly.id() + "/view?issueKey="
                + bOnly.key() + "&projectKey=" + B_ONLY, null);

        for (HttpResponse<String> response : List.of(page, refresh)) {
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).doesNotContain(b.suggestedValue()).doesNotContain(b.clientKey())
                    .contains("data-kind=\"pending\"");
        }
        assertThat(data.statusCode()).isEqualTo(200);
        assertThat(data.body()).doesNotContain(b.suggestedValue()).doesNotContain(b.clientKey())
                .contains("\"kind\":\"pending\"");
        assertThat(fx.rows(b.clientKey())).isEqualTo(before);
    }

    @Test
    void theSameIssueIdShowsTheCallersOwnIssue() {
        long id = a.issue().id();

        HttpResponse<String> page = requestAsA("GET", "/glance?issueId=" + id + "&issueKey=SEC-1&projectId=10000"
                + "&projectKey=" + PROJECT);
        HttpResponse<String> suggestions = requestAsA("GET", "/api/issues/" + id + "/suggestions");

        assertThat(page.body()).contains(a.suggestedValue()).doesNotContain(b.suggestedValue());
        assertThat(suggestions.body()).contains(a.suggestedValue()).doesNotContain(b.suggestedValue())
                .doesNotContain(b.clientKey());
    }

    @Test
    void suggestionsOfAnotherTenantsIssueAreNotThere() {
        HttpResponse<String> response = requestAsA("GET", "/api/issues/" + bOnly.id() + "/suggestions");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("[]");
    }

    @Test
    void feedbackOnAnotherTenantsIssueIsRefused() {
        Object before = fx.state();

        HttpResponse<String> unknownId = contextAsA("POST", "/api/issues/" + bOnly.id() + "/feedback",
                feedback(b.suggestedValue()));
        HttpResponse<String> sharedId = contextAsA("POST", "/api/issues/" + b.issue().id() + "/feedback",
                feedback(b.suggestedValue()));

        assertThat(unknownId.statusCode()).isEqualTo(404);
        assertThat(sharedId.statusCode()).as("B's value was never suggested for A's issue").isEqualTo(400);
        assertThat(fx.state()).isEqualTo(before);
    }

    @Test
    void settingsAndRetrainOfAnotherTenantsProjectAreRefused() {
        Object before = fx.state();

        HttpResponse<String> settings = contextAsA("PUT", "/api/projects/" + B_ONLY + "/settings/assignee",
                "{\"enabled\":false,\"threshold\":0.9,\"autoApply\":\"ON\",\"excluded\":[]}");
        HttpResponse<String> train = contextAsA("POST", "/api/projects/" + B_ONLY + "/train", null);

        assertThat(settings.statusCode()).as("A's Jira has no such project to administer").isEqualTo(403);
        assertThat(train.statusCode()).isEqualTo(403);
        assertThat(fx.state()).isEqualTo(before);
    }

    @Test
    void settingsOfTheSameProjectKeyChangeOnlyTheCallersProject() {
        var bBefore = fx.rows(b.clientKey());

        HttpResponse<String> saved = contextAsA("PUT", "/api/projects/" + PROJECT + "/settings/labels",
                "{\"enabled\":true,\"threshold\":0.77,\"autoApply\":\"SHADOW\",\"excluded\":[]}");

        assertThat(saved.statusCode()).isEqualTo(200);
        assertThat(fx.rows(a.clientKey()).get("TARGET_SETTINGS")).anyMatch(row -> row.contains("0.77"));
        assertThat(fx.rows(b.clientKey())).isEqualTo(bBefore);
    }

    @Test
    void adminPageOfAnotherTenantsProjectLooksLikeOneThatDoesNotExist() {
        var before = fx.rows(b.clientKey());

        String bProject = contextAsA("GET", "/api/projects/" + B_ONLY + "/admin", null).body();
        String noProject = contextAsA("GET", "/api/projects/NOPE/admin", null).body();
        HttpResponse<String> page = requestAsA("GET", "/admin/project?projectId=10001&projectKey=" + B_ONLY);

        assertThat(bProject.replace(B_ONLY, "NOPE")).isEqualTo(noProject);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("data-can-edit=\"false\"").doesNotContain(b.clientKey());
        assertThat(fx.rows(b.clientKey())).isEqualTo(before);
    }

    @Test
    void modelsAndHistoryOfAnotherTenantsProjectAreEmpty() {
        String models = requestAsA("GET", "/api/projects/" + B_ONLY + "/models").body();
        String history = requestAsA("GET", "/api/projects/" + B_ONLY + "/history").body();
        // control: B itself has jobs and a backfill for the project
        String bModels = b.site().callApp("GET", "/api/projects/" + B_ONLY + "/models", null, null).body();

        assertThat(models).doesNotContain("\"job\":{").doesNotContain(b.clientKey());
        assertThat(bModels).contains("\"job\":{");
        assertThat(history).isEqualTo("{\"projectKey\":\"" + B_ONLY + "\",\"issuesKnown\":0,\"backfill\":null}");
    }

    /** Last: it gives A a backfill (and then jobs) of its own for the key, which the tests above assume A has not. */
    @Test
    @Order(Integer.MAX_VALUE)
    void backfillOfAnotherTenantsProjectKeyTouchesOnlyTheCaller() {
        var before = fx.rows(b.clientKey());

        HttpResponse<String> response = requestAsA("POST", "/api/projects/" + B_ONLY + "/backfill");

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.body()).contains(a.clientKey()).doesNotContain(b.clientKey());
        assertThat(fx.rows(b.clientKey())).isEqualTo(before);
    }

    @Test
    void anotherTenantsParkedDeliveriesCannotBeListedOrReplayed() {
        HttpResponse<String> poisoned = b.site().callApp("POST", "/webhooks/issue-updated", null,
                "{\"webhookEvent\":\"jira:issue_updated\",\"issue\":{\"id\":\"not-a-number\"}}");
        assertThat(poisoned.statusCode()).isEqualTo(204);
        WebhookInbox inbox = fx.app.bean(WebhookInbox.class);
        await().atMost(Duration.ofSeconds(20)).until(() -> !inbox.dead(b.clientKey()).isEmpty());
        String deliveryId = inbox.dead(b.clientKey()).get(0).deliveryId();
        Object before = fx.state();

        HttpResponse<String> list = requestAsA("GET", "/api/inbox/dead");
        HttpResponse<String> replay = requestAsA("POST", "/api/inbox/dead/" + deliveryId + "/replay");

        assertThat(list.body()).isEqualTo("[]");
        assertThat(replay.statusCode()).isEqualTo(404);
        assertThat(fx.state()).isEqualTo(before);
    }

    @Test
    void uninstallSignedForOneTenantButNamingAnotherErasesNothing() {
        Object before = fx.state();
        String token = ConnectJwts.rs256(fx.jira.installKey(), fx.lifecycleClaims(a, "/uninstalled").build());

        HttpResponse<String> response = fx.send("POST", "/uninstalled", token, fx.lifecycleBody(b, "uninstalled"));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(fx.state()).isEqualTo(before);
    }

    private static String feedback(String value) {
        return "{\"target\":\"assignee\",\"value\":\"" + value + "\",\"action\":\"accepted\"}";
    }

    private static HttpResponse<String> requestAsA(String method, String pathAndQuery) {
        return fx.send(method, pathAndQuery, a.site().requestToken(method, pathAndQuery, a.admin().accountId()), null);
    }

    private static HttpResponse<String> contextAsA(String method, String path, String body) {
        return fx.send(method, path, a.site().contextToken(a.admin().accountId(),
                Map.of("jira", Map.of("project", Map.of("key", PROJECT)))), body);
    }
}
