package com.triageassistant.connect;

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

import com.atlassian.connect.spring.AtlassianHost;
import com.atlassian.connect.spring.AtlassianHostRepository;
import com.atlassian.connect.spring.AtlassianHostRestClients;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.triageassistant.jira.emulator.AppRequest;
import com.triageassistant.jira.emulator.ConnectJwts;
import com.triageassistant.jira.emulator.EmulatedSite;
import com.triageassistant.jira.emulator.EmulatedUser;
import com.triageassistant.jira.emulator.JiraEmulator;
import com.triageassistant.support.AppInstance;
import com.triageassistant.support.NodeSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.web.client.RestTemplate;

/** The real app and the Jira emulator trust each other's signatures, and only those. */
class AppWithJiraEmulatorTest {

    @TempDir
    static Path dataDir;

    static JiraEmulator jira;
    static AppInstance app;
    static EmulatedSite site;
    static EmulatedUser alice;

    @BeforeAll
    static void start() {
        jira = new JiraEmulator();
        app = AppInstance.start(NodeSpec.single(dataDir),
                Map.of("atlassian.connect.public-key-base-url", jira.keyServerUrl()));
        site = jira.createSite("acme");
        site.createProject("ACME", "Acme", List.of("Bug", "Task"), List.of("api", "ui"));
        alice = site.createUser("Alice Doe");
        site.makeAssignable("ACME", alice.accountId());
        for (int i = 0; i < 30; i++) {
            site.createIssue("ACME", "Bug", "Crash number " + i, null, List.of("api"), List.of(), "Medium", null,
                    alice.accountId());
        }
        assertThat(site.install(app.url())).isEqualTo(204);
    }

    @AfterAll
    static void stop() {
        app.close();
        jira.close();
    }

    @Test
    void signedInstallFromTheEmulatorStoresTheTenantAndItsEnabledState() {
        AtlassianHost host = app.bean(AtlassianHostRepository.class).findById(site.clientKey()).orElseThrow();

        assertThat(host.getBaseUrl()).isEqualTo(site.baseUrl());
        assertThat(host.getSharedSecret()).isEqualTo(site.sharedSecret());
        assertThat(app.bean(TenantStateRepository.class).isEnabled(site.clientKey())).contains(true);
    }

    @Test
    void emulatorSignedRequestsAreAcceptedAndTamperedOnesRefused() {
        HttpResponse<String> ok = site.callApp("GET", "/api/tenant", alice.accountId(), null);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).contains(site.clientKey()).contains(alice.accountId());

        String token = site.requestToken("GET", "/api/tenant", alice.accountId());
        assertThat(site.callAppWithToken("GET", "/api/tenant", null, tamper(token)).statusCode()).isEqualTo(401);
    }

    @Test
    void appSignedRestCallsAreAcceptedByTheEmulator() throws Exception {
        AtlassianHost host = app.bean(AtlassianHostRepository.class).findById(site.clientKey()).orElseThrow();
        RestTemplate asApp = app.bean(AtlassianHostRestClients.class).authenticatedAsAddon(host);
        ObjectMapper json = new ObjectMapper();

        JsonNode project = json.readTree(asApp.getForObject("/rest/api/3/project/ACME", String.class));
        JsonNode page = json.readTree(asApp.getForObject(
                "/rest/api/3/search/jql?jql={jql}&fields=summary,updated&maxResults=10", String.class,
                "project = ACME AND updated >= \"2020-01-01 00:00\" ORDER BY updated ASC"));

        assertThat(project.path("key").asText()).isEqualTo("ACME");
        assertThat(page.path("issues")).hasSize(10);
        assertThat(page.path("nextPageToken").asText()).isNotEmpty();
        assertThat(site.appRequests()).extracting(AppRequest::status).containsOnly(200);
    }

    @Test
    void tamperedAppSignatureIsRefusedByTheEmulator() throws Exception {
        String path = "/rest/api/3/project/ACME";
        String appToken = ConnectJwts.hs256(site.sharedSecret(), ConnectJwts.claims("triage-assistant-for-jira",
                ConnectJwts.qsh("GET", path), Duration.ofMinutes(3)).build());

        assertThat(get(site.baseUrl() + path, appToken)).isEqualTo(200);
        assertThat(get(site.baseUrl() + path, tamper(appToken))).isEqualTo(401);
    }

    @Test
    void severalSitesAreSeveralTenants() {
        EmulatedSite other = jira.createSite("other");
        assertThat(other.install(app.url())).isEqualTo(204);

        assertThat(other.callApp("GET", "/api/tenant", null, null).body()).contains(other.clientKey())
                .doesNotContain(site.clientKey());
        assertThat(site.callApp("GET", "/api/tenant", null, null).body()).contains(site.clientKey())
                .doesNotContain(other.clientKey());
        // One site's secret cannot speak for another site.
        String forged = ConnectJwts.hs256(other.sharedSecret(), ConnectJwts.claims(site.clientKey(),
                ConnectJwts.qsh("GET", "/api/tenant"), Duration.ofMinutes(3)).build());
        assertThat(site.callAppWithToken("GET", "/api/tenant", null, forged).statusCode()).isEqualTo(401);
    }

    @Test
    void disableEnableAndUninstallReachTheApp() {
        EmulatedSite leaving = jira.createSite("leaving");
        assertThat(leaving.install(app.url())).isEqualTo(204);
        TenantStateRepository states = app.bean(TenantStateRepository.class);

        assertThat(leaving.disable()).isEqualTo(204);
        assertThat(states.isEnabled(leaving.clientKey())).contains(false);
        assertThat(leaving.enable()).isEqualTo(204);
        assertThat(states.isEnabled(leaving.clientKey())).contains(true);

        assertThat(leaving.uninstall()).isEqualTo(204);
        await().atMost(Duration.ofSeconds(10)).until(() ->
                app.bean(AtlassianHostRepository.class).findById(leaving.clientKey()).isEmpty());
        assertThat(states.isEnabled(leaving.clientKey())).isEmpty();
    }

    /** Flips one character of the signature. */
    private static String tamper(String token) {
        int last = token.length() - 5;
        char replacement = token.charAt(last) == 'A' ? 'B' : 'A';
        return token.substring(0, last) + replacement + token.substring(last + 1);
    }

    private static int get(String url, String token) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "JWT " + token).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
