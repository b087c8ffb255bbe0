package com.triageassistant.jira.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code api.atlassian.com/ex/jira/{cloudId}}: the site's REST API for the Forge app's system tokens only. */
class EmulatorForgeApiTest {

    ForgeFixture fixture;
    EmulatedSite site;
    String token;

    @BeforeEach
    void start() {
        fixture = new ForgeFixture();
        site = fixture.site;
        fixture.install(site);
        token = fixture.remote.invocations().get(0).systemToken();
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void aValidTokenReachesTheSitesRestApiAsTheAppsUser() {
        EmulatedIssue issue = fixture.createIssue("Reachable");

        HttpResponse<String> read = fixture.exJira(site.cloudId(), "/rest/api/3/issue/" + issue.key()
                + "?fields=summary", token);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(ForgeFixture.claims(token).path("sub").asText()).isEqualTo(site.appAccountId());
        assertThat(json(read).path("fields").path("summary").asText()).isEqualTo("Reachable");

        HttpResponse<String> edit = fixture.exJira(site.cloudId(), "PUT", "/rest/api/3/issue/" + issue.key(),
                token, "{\"update\":{\"labels\":[{\"add\":\"triaged\"}]}}");
        assertThat(edit.statusCode()).isEqualTo(204);
        assertThat(site.issue(issue.key()).orElseThrow().labels()).containsExactly("triaged");

        HttpResponse<String> permissions = fixture.exJira(site.cloudId(),
                "/rest/api/3/mypermissions?projectKey=ACME&permissions=EDIT_ISSUES,ADMINISTER_PROJECTS", token);
        assertThat(json(permissions).path("permissions").path("EDIT_ISSUES").path("havePermission").asBoolean())
                .isTrue();
        assertThat(json(permissions).path("permissions").path("ADMINISTER_PROJECTS").path("havePermission")
                .asBoolean()).as("the app's account administers nothing").isFalse();

        List<AppRequest> recorded = site.appRequests();
        assertThat(recorded).hasSize(3).allSatisfy(request -> {
            assertThat(request.route()).isEqualTo(AppRequest.Route.FORGE);
            assertThat(request.bearerToken()).isEqualTo(token);
            assertThat(request.accountId()).isEqualTo(site.appAccountId());
        });
        assertThat(recorded.get(1).method()).isEqualTo("PUT");
        assertThat(recorded.get(1).path()).isEqualTo("/rest/api/3/issue/" + issue.key());
        assertThat(recorded.get(1).toString()).doesNotContain(token);
        assertThat(fixture.forge.apiCalls().get(0).path())
                .isEqualTo("/ex/jira/" + site.cloudId() + "/rest/api/3/issue/" + issue.key());
        // The edit was the app's: Forge hears about it like any other.
        assertThat(site.awaitForgeEvents(Duration.ofSeconds(5))).isTrue();
        assertThat(fixture.remote.invocations()).anySatisfy(invocation -> {
            assertThat(invocation.eventType()).isEqualTo("avi:jira:updated:issue");
            assertThat(invocation.body().path("atlassianId").asText()).isEqualTo(site.appAccountId());
        });
    }

    @Test
    void unknownMissingAndForgedTokensGet401WithAJsonBody() {
        String forged = fixture.forge.invocationToken(site, "core:trigger", "issue-events")
                .signedWith(fixture.forge.currentKey());
        for (String bad : new String[] {null, "not-a-token", forged,
                token.substring(0, token.lastIndexOf('.') + 1) + "AAAA"}) {
            HttpResponse<String> response = fixture.exJira(site.cloudId(), "/rest/api/3/project/ACME", bad);
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/json"));
            assertThat(json(response).path("code").asInt()).isEqualTo(401);
            assertThat(json(response).path("message").asText()).isNotBlank();
        }
        assertThat(site.appRequests()).hasSize(4).allSatisfy(request -> assertThat(request.status()).isEqualTo(401));
    }

    @Test
    void expiredTokensAreRefusedAndInvocationsCarryNewOnes() throws InterruptedException {
        fixture.forge.tokenLifetime(Duration.ofSeconds(1));
        String shortLived = fixture.forge.issueSystemToken(site);
        assertThat(fixture.exJira(site.cloudId(), "/rest/api/3/project/ACME", shortLived).statusCode())
                .isEqualTo(200);
        Thread.sleep(1_100);
        assertThat(fixture.exJira(site.cloudId(), "/rest/api/3/project/ACME", shortLived).statusCode())
                .isEqualTo(401);

        fixture.forge.tokenLifetime(Duration.ofHours(1));
        site.runScheduledTriggers();
        assertThat(site.awaitForgeEvents(Duration.ofSeconds(5))).isTrue();
        String fresh = fixture.remote.invocations().get(1).systemToken();
        assertThat(fixture.exJira(site.cloudId(), "/rest/api/3/project/ACME", fresh).statusCode()).isEqualTo(200);
        site.runScheduledTriggers();
        assertThat(site.awaitForgeEvents(Duration.ofSeconds(5))).isTrue();
        assertThat(fixture.remote.invocations().get(2).systemToken()).as("cached while far from expiry")
                .isEqualTo(fresh);

        fixture.forge.expireTokens();
        assertThat(fixture.exJira(site.cloudId(), "/rest/api/3/project/ACME", fresh).statusCode()).isEqualTo(401);
        assertThat(fixture.exJira(site.cloudId(), "/rest/api/3/project/ACME", token).statusCode()).isEqualTo(401);
        site.runScheduledTriggers();
        assertThat(site.awaitForgeEvents(Duration.ofSeconds(5))).isTrue();
        String renewed = fixture.remote.invocations().get(3).systemToken();
        assertThat(renewed).isNotEqualTo(fresh);
        assertThat(fixture.exJira(site.cloudId(), "/rest/api/3/project/ACME", renewed).statusCode()).isEqualTo(200);
    }

    @Test
    void aTokenIsRevokedByUninstallAndWorthNothingOnAnotherSite() {
        EmulatedSite other = fixture.newSite("other");
        fixture.install(other);
        String otherToken = fixture.remote.invocations().get(1).systemToken();
        assertThat(fixture.exJira(other.cloudId(), "/rest/api/3/project/ACME", otherToken).statusCode())
                .isEqualTo(200);
        assertThat(fixture.exJira(site.cloudId(), "/rest/api/3/project/ACME", otherToken).statusCode())
                .as("another site's token").isEqualTo(401);
        assertThat(fixture.exJira(other.cloudId(), "/rest/api/3/project/ACME", token).statusCode())
                .as("this site's token on the other").isEqualTo(401);

        site.uninstallForge();
        HttpResponse<String> revoked = fixture.exJira(site.cloudId(), "/rest/api/3/project/ACME", token);
        assertThat(revoked.statusCode()).isEqualTo(401);
        assertThat(json(revoked).path("code").asInt()).isEqualTo(401);
        assertThat(fixture.exJira(other.cloudId(), "/rest/api/3/project/ACME", otherToken).statusCode())
                .as("the other installation is untouched").isEqualTo(200);

        fixture.install(site);
        String reinstalled = fixture.remote.invocations().get(2).systemToken();
        assertThat(fixture.exJira(site.cloudId(), "/rest/api/3/project/ACME", reinstalled).statusCode())
                .isEqualTo(200);
        assertThat(fixture.exJira(site.cloudId(), "/rest/api/3/project/ACME", token).statusCode())
                .as("the old installation's token stays dead").isEqualTo(401);
    }

    @Test
    void theSitesRestFaultsApplyAndPersonalDataReportingIsReachable() {
        site.faults().rateLimit("/rest/api/3/search", 1, 7);
        HttpResponse<String> limited = fixture.exJira(site.cloudId(), "POST", "/rest/api/3/search/jql", token,
                "{\"jql\":\"project = ACME\"}");
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).hasValue("7");
        assertThat(fixture.exJira(site.cloudId(), "POST", "/rest/api/3/search/jql", token,
                "{\"jql\":\"project = ACME\"}").statusCode()).isEqualTo(200);

        // The personal data reporting API is at the gateway's root, not under a product's /ex/ path.
        String accounts = "{\"accounts\":[{\"accountId\":\"" + fixture.alice.accountId()
                + "\",\"updatedAt\":\"2024-01-01T00:00:00.000Z\"}]}";
        HttpResponse<String> report = Http.send(HttpClient.newHttpClient(), HttpRequest.newBuilder(
                        URI.create(fixture.forge.url() + "/app/report-accounts/"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(accounts)).build());
        assertThat(report.statusCode()).isIn(200, 204);
        assertThat(fixture.exJira(site.cloudId(), "POST", "/app/report-accounts/", token, accounts).statusCode())
                .isEqualTo(404);
        assertThat(fixture.exJira(site.cloudId(), "/secure/useravatar", token).statusCode()).isEqualTo(404);
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return JiraJson.MAPPER.readTree(response.body());
        } catch (java.io.IOException e) {
            throw new AssertionError(response.body(), e);
        }
    }
}
