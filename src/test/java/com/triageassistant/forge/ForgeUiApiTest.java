package com.triageassistant.forge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.triageassistant.ingest.IssueRecord;
import com.triageassistant.ingest.IssueStore;
import com.triageassistant.jira.emulator.EmulatedIssue;
import com.triageassistant.jira.emulator.EmulatedSite;
import com.triageassistant.jira.emulator.EmulatedUser;
import com.triageassistant.jira.emulator.ForgeInvocationTokens;
import com.triageassistant.jira.emulator.Http;
import com.triageassistant.jira.emulator.InstallKeyServer;
import com.triageassistant.jira.emulator.IssueEdit;
import com.triageassistant.jira.emulator.JiraEmulator;
import com.triageassistant.suggest.FeedbackStore;
import com.triageassistant.support.AppInstance;
import com.triageassistant.support.EmulatorTrust;
import com.triageassistant.support.NodeSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data behind the Forge issue panel ({@code invokeRemote} to {@code /forge/ui/*}) and the Connect page's same
 * data: the glance of the issue the signed context names, for the installation that signed it, to a person only;
 * feedback refused in words. Two Forge sites and a Connect one, the real app.
 */
class ForgeUiApiTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    static Path dataDir;

    static JiraEmulator jira;
    static AppInstance app;
    static EmulatedSite a;
    static EmulatedSite b;
    static EmulatedSite connect;

    @BeforeAll
    static void start() {
        jira = new JiraEmulator();
        app = AppInstance.start(NodeSpec.single(dataDir), EmulatorTrust.properties(jira,
                Map.of("triage.ml.enabled", "false")));
        a = forgeSite("ui-a");
        b = forgeSite("ui-b");
        connect = jira.createSite("ui-connect");
        connect.createProject("UI", "UI", List.of("Bug"), List.of("api"));
        connect.createIssue("UI", "Bug", "Connect crash", null, List.of("api"), List.of(), "Medium", null,
                connect.siteAdmin().accountId());
        assertThat(connect.install(app.url())).isEqualTo(204);
    }

    @AfterAll
    static void stop() {
        app.close();
        jira.close();
    }

    @Test
    void aPersonsPanelGetsTheGlanceOfTheIssueItsSignedContextNames() throws Exception {
        EmulatedIssue issue = a.issues("UI").get(0);
        HttpResponse<String> response = post("/forge/ui/glance", panelToken(a, person(a), issue.id(), issue.key()),
                "{}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode view = JSON.readTree(response.body());
        assertThat(view.path("issueId").asLong()).isEqualTo(issue.id());
        assertThat(view.path("issueKey").asText()).isEqualTo(issue.key());
        assertThat(view.path("projectKey").asText()).isEqualTo("UI");
        // No model without the sidecar: a state in words (for the glance or each panel), never a blank panel.
        if (view.path("notice").isNull() || view.path("notice").isMissingNode()) {
            assertThat(view.path("panels")).isNotEmpty().allSatisfy(panel -> assertThat(
                    !panel.path("notice").path("title").asText().isBlank() || !panel.path("current").isEmpty()
                            || !panel.path("items").isEmpty()).as(panel.toString()).isTrue());
        } else {
            assertThat(view.path("notice").path("title").asText()).isNotBlank();
        }

        EmulatedIssue connectIssue = connect.issues("UI").get(0);
        HttpResponse<String> page = connect.callAppWithToken("GET", "/api/issues/" + connectIssue.id() + "/view",
                null, connect.contextToken(connect.siteAdmin().accountId()));
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        assertThat(JSON.readTree(page.body()).path("issueKey").asText()).isEqualTo(connectIssue.key());
    }

    @Test
    void theTenantIsTheSigningInstallationWhateverIssueItNames() {
        EmulatedIssue ofA = a.issues("UI").get(0);
        a.editIssue(ofA.key(), person(a), IssueEdit.create().assignee(person(a)));
        await().atMost(Duration.ofSeconds(30)).until(() -> app.bean(IssueStore.class)
                .find(installationId(a), ofA.id()).map(IssueRecord::assignee).filter(person(a)::equals).isPresent());
        HttpResponse<String> ownView = post("/forge/ui/glance", panelToken(a, person(a), ofA.id(), ofA.key()), "{}");
        assertThat(ownView.body()).as("a's view shows a's assignee").contains(person(a));

        // b's token naming the id of a's issue: b's own issue of that id (ids are a site's), never a's
        HttpResponse<String> response = post("/forge/ui/glance", panelToken(b, person(b), ofA.id(), ofA.key()), "{}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).doesNotContain(person(a));
    }

    @Test
    void onlyAPersonsCallWithAnIssueInItsContextIsAnswered() {
        EmulatedIssue issue = a.issues("UI").get(0);
        ForgeInvocationTokens.Builder trigger = jira.forge().invocationToken(a, "core:trigger", "issue-events");
        assertThat(post("/forge/ui/glance", trigger.signedWith(jira.forge().currentKey()), "{}").statusCode())
                .as("a trigger's token, no person").isEqualTo(403);
        String noIssue = jira.forge().invocationToken(a, "jira:issueContext", "triage-panel").principal(person(a))
                .extension(Map.of("type", "jira:issueContext")).signedWith(jira.forge().currentKey());
        assertThat(post("/forge/ui/glance", noIssue, "{}").statusCode()).isEqualTo(400);
        assertThat(post("/forge/ui/glance", null, "{}").statusCode()).isEqualTo(401);
        String forged = panel(a, person(a), issue.id(), issue.key())
                .signedWith(InstallKeyServer.SigningKey.generate(), jira.forge().currentKey().kid());
        assertThat(post("/forge/ui/glance", forged, "{}").statusCode()).isEqualTo(401);
        String connectJwt = connect.requestToken("POST", "/forge/ui/glance", null);
        assertThat(send("/forge/ui/glance", "JWT " + connectJwt, "{}").statusCode()).isEqualTo(401);
        assertThat(post("/forge/ui/feedback", trigger.signedWith(jira.forge().currentKey()),
                "{\"target\":\"labels\",\"value\":\"x\",\"action\":\"accepted\"}").statusCode()).isEqualTo(403);
    }

    @Test
    void feedbackOnAValueThePanelNeverShowedIsRefusedInWordsAndNotRecorded() throws Exception {
        EmulatedIssue issue = a.issues("UI").get(0);
        String token = panelToken(a, person(a), issue.id(), issue.key());

        HttpResponse<String> never = post("/forge/ui/feedback", token,
                "{\"target\":\"labels\",\"value\":\"<b>x</b>\",\"action\":\"accepted\"}");
        assertThat(never.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(never.body()).path("error").asText()).isEqualTo("No labels suggestion for this issue");
        HttpResponse<String> unknownAction = post("/forge/ui/feedback", token,
                "{\"target\":\"labels\",\"value\":\"x\",\"action\":\"maybe\"}");
        assertThat(unknownAction.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(unknownAction.body()).path("error").asText())
                .isEqualTo("action must be accepted or dismissed");
        assertThat(app.bean(FeedbackStore.class).forIssue(installationId(a), issue.id())).isEmpty();
    }

    private static EmulatedSite forgeSite(String name) {
        EmulatedSite site = jira.createSite(name);
        EmulatedUser person = site.createUser("Person of " + name);
        site.createProject("UI", "UI", List.of("Bug"), List.of("api"));
        site.makeAssignable("UI", person.accountId());
        site.createIssue("UI", "Bug", name + " editor crash", null, List.of("api"), List.of(), "Medium", null,
                person.accountId());
        site.installForge(EmulatorTrust.FORGE_MANIFEST, app.url());
        await().atMost(Duration.ofSeconds(60)).until(() -> app.bean(IssueStore.class)
                .countLive(installationId(site), "UI") == 1);
        return site;
    }

    private static String installationId(EmulatedSite site) {
        return site.forgeInstallation().orElseThrow().installationId();
    }

    private static String person(EmulatedSite site) {
        return site.users().stream().filter(user -> user.displayName().startsWith("Person of"))
                .findFirst().orElseThrow().accountId();
    }

    /** A token as Forge signs it for the issue panel's {@code invokeRemote}: the person and the issue in context. */
    private static ForgeInvocationTokens.Builder panel(EmulatedSite site, String accountId, long issueId,
                                                       String issueKey) {
        return jira.forge().invocationToken(site, "jira:issueContext", "triage-panel").principal(accountId)
                .extension(Map.of("type", "jira:issueContext",
                        "issue", Map.of("id", String.valueOf(issueId), "key", issueKey, "type", "Bug"),
                        "project", Map.of("id", "10000", "key", "UI", "type", "software")));
    }

    private static String panelToken(EmulatedSite site, String accountId, long issueId, String issueKey) {
        return panel(site, accountId, issueId, issueKey).signedWith(jira.forge().currentKey());
    }

    private static HttpResponse<String> post(String path, String fit, String body) {
        return send(path, fit == null ? null : "Bearer " + fit, body);
    }

    private static HttpResponse<String> send(String path, String authorization, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(app.url() + path))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return Http.send(HTTP, request.build());
    }
}
