package com.triageassistant.jira.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The emulated Personal Data Reporting API answers as Atlassian documents it. */
class EmulatorPersonalDataTest {

    private static final String PATH = "/app/report-accounts/";

    static JiraEmulator jira;
    static RecordingApp recordingApp;
    static EmulatedSite site;
    static AppClient app;

    @BeforeAll
    static void start() {
        jira = new JiraEmulator();
        recordingApp = new RecordingApp();
        site = jira.createSite("privacy");
        assertThat(site.install(recordingApp.url())).isEqualTo(204);
        app = new AppClient(site, RecordingApp.KEY);
    }

    @AfterAll
    static void stop() {
        jira.close();
        recordingApp.close();
    }

    @Test
    void nothingToDoIs204WithTheCyclePeriod() {
        HttpResponse<String> response = app.post(PATH, body("quiet-", 3, Instant.parse("2026-01-01T00:00:00Z")));

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.headers().firstValue("Cycle-Period")).contains(String.valueOf(Duration.ofDays(7).toSeconds()));
    }

    @Test
    void closedAndUpdatedAccountsAreListedWithTheConfiguredCyclePeriod() {
        site.personalData().close("acct-1").markUpdated("acct-2", Instant.parse("2026-06-01T00:00:00Z"))
                .markUpdated("acct-3", Instant.parse("2025-06-01T00:00:00Z")).cyclePeriod(Duration.ofSeconds(30));
        try {
            HttpResponse<String> response = app.post(PATH, body("acct-", 4, Instant.parse("2026-01-01T00:00:00Z")));

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Cycle-Period")).contains("30");
            JsonNode accounts = AppClient.json(response.body()).path("accounts");
            assertThat(accounts).hasSize(2); // acct-3 changed before the app's updatedAt: nothing to do
            assertThat(accounts.get(0).path("accountId").asText()).isEqualTo("acct-1");
            assertThat(accounts.get(0).path("status").asText()).isEqualTo("closed");
            assertThat(accounts.get(1).path("accountId").asText()).isEqualTo("acct-2");
            assertThat(accounts.get(1).path("status").asText()).isEqualTo("updated");
            assertThat(site.personalData().reports()).last().satisfies(report ->
                    assertThat(report.accounts()).hasSize(4));
        } finally {
            site.personalData().cyclePeriod(PersonalDataReporting.DEFAULT_CYCLE_PERIOD);
        }
    }

    @Test
    void moreThan90AccountsOrMalformedBodiesAre400() {
        int before = site.personalData().reports().size();

        assertThat(app.post(PATH, body("bulk-", 90, Instant.now())).statusCode()).isEqualTo(204);
        assertThat(app.post(PATH, body("bulk-", 91, Instant.now())).statusCode()).isEqualTo(400);
        assertThat(app.post(PATH, body("bulk-", 0, Instant.now())).statusCode()).isEqualTo(400);
        assertThat(app.post(PATH, "{\"accounts\":[{\"accountId\":\"a\",\"updatedAt\":\"yesterday\"}]}").statusCode())
                .isEqualTo(400);
        assertThat(site.personalData().reports()).hasSize(before + 1);
    }

    @Test
    void onlyTheAppsSignedCallsAreAccepted() {
        String body = body("signed-", 1, Instant.now());
        String foreignToken = ConnectJwts.hs256("not-the-secret-" + "x".repeat(32),
                app.claims("POST", PATH).build());

        assertThat(app.send("POST", PATH, body, null).statusCode()).isEqualTo(401);
        assertThat(app.send("POST", PATH, body, foreignToken).statusCode()).isEqualTo(401);
        assertThat(app.send("POST", PATH, body, app.token("POST", "/app/other", null)).statusCode()).isEqualTo(401);
        assertThat(site.appRequests()).anyMatch(request -> request.path().equals(PATH) && request.status() == 401);
    }

    /** Ids are distinct per test: the site remembers closed and updated accounts across tests. */
    private static String body(String prefix, int accounts, Instant updatedAt) {
        ObjectNode body = JiraJson.MAPPER.createObjectNode();
        ArrayNode list = body.putArray("accounts");
        for (int i = 1; i <= accounts; i++) {
            list.addObject().put("accountId", prefix + i).put("updatedAt", updatedAt.toString());
        }
        return body.toString();
    }
}
