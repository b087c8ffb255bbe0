package com.triageassistant.security;

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

import com.triageassistant.forge.ForgeInstallations;
import com.triageassistant.jira.emulator.ConnectJwts;
import com.triageassistant.jira.emulator.EmulatedSite;
import com.triageassistant.jira.emulator.Http;
import com.triageassistant.jira.emulator.InstallKeyServer;
import com.triageassistant.jira.emulator.JiraEmulator;
import com.triageassistant.support.AppInstance;
import com.triageassistant.support.EmulatorTrust;
import com.triageassistant.support.NodeSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Refused tokens, of either door, reach no log line: ACSB quotes a token whose signature fails in its exception
 * messages, and the app's refusals name the exception; the log pattern masks every JWT-shaped text. Neither do the
 * secrets a site handed over or the app tokens Forge sent. And the warning Ignite gave for every write is gone.
 */
@ExtendWith(OutputCaptureExtension.class)
class LogContentTest {

    @TempDir
    static Path dataDir;

    static JiraEmulator jira;
    static AppInstance app;
    static EmulatedSite connect;
    static EmulatedSite forge;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        jira = new JiraEmulator();
        app = AppInstance.start(NodeSpec.single(dataDir), EmulatorTrust.properties(jira,
                Map.of("triage.ml.enabled", "false")));
        connect = jira.createSite("logs-connect");
        connect.createProject("LOG", "Logs", List.of("Bug"), List.of("api"));
        assertThat(connect.install(app.url())).isEqualTo(204);
        forge = jira.createSite("logs-forge");
        forge.createProject("LOG", "Logs", List.of("Bug"), List.of("api"));
        forge.installForge(EmulatorTrust.FORGE_MANIFEST, app.url());
        String installation = forge.forgeInstallation().orElseThrow().installationId();
        await().atMost(Duration.ofSeconds(30)).until(() -> app.bean(ForgeInstallations.class).find(installation)
                .map(ForgeInstallations.Installation::appToken).isPresent());
    }

    @AfterAll
    static void stop() {
        app.close();
        jira.close();
    }

    @Test
    void refusedTokensSecretsAndAppTokensAreInNoLogLine(CapturedOutput output) {
        List<String> secrets = new ArrayList<>();
        String wrongSecret = ConnectJwts.hs256("wrong-secret-".repeat(4), ConnectJwts.claims(connect.clientKey(),
                ConnectJwts.qsh("POST", "/webhooks/issue-created"), Duration.ofMinutes(3)).build());
        secrets.add(wrongSecret);
        assertThat(send("POST", "/webhooks/issue-created", "JWT " + wrongSecret, "{}").statusCode()).isEqualTo(401);

        String wrongSecretOnApi = ConnectJwts.hs256("wrong-secret-".repeat(4), ConnectJwts.claims(
                connect.clientKey(), ConnectJwts.qsh("GET", "/api/tenant"), Duration.ofMinutes(3)).build());
        secrets.add(wrongSecretOnApi);
        assertThat(send("GET", "/api/tenant", "JWT " + wrongSecretOnApi, null).statusCode()).isEqualTo(401);

        String forgedFit = jira.forge().invocationToken(forge, "core:trigger", "issue-events")
                .signedWith(InstallKeyServer.SigningKey.generate(), jira.forge().currentKey().kid());
        secrets.add(forgedFit);
        assertThat(send("POST", "/forge/events", "Bearer " + forgedFit, "{}").statusCode()).isEqualTo(401);

        String connectOnForge = connect.requestToken("POST", "/forge/events", null);
        secrets.add(connectOnForge);
        assertThat(send("POST", "/forge/events", "JWT " + connectOnForge, "{}").statusCode()).isEqualTo(401);

        secrets.add(connect.sharedSecret());
        String installation = forge.forgeInstallation().orElseThrow().installationId();
        secrets.add(app.bean(ForgeInstallations.class).find(installation).orElseThrow().appToken());

        String log = output.getAll();
        for (String secret : secrets) {
            assertThat(log).doesNotContain(secret);
            if (secret.startsWith("eyJ")) {
                assertThat(log).as("a token's signature").doesNotContain(secret.substring(secret.lastIndexOf('.')));
            }
        }
        assertThat(log).as("the refusals were logged, their tokens masked").contains("<jwt>");
        assertThat(log).as("Ignite's warning on every MERGE").doesNotContain("search row by explicit KEY");
        assertThat(log.lines().filter(line -> line.contains("c.t.ingest.WebhookReceiver")).findFirst()).get()
                .asString().as("a line as Boot formats it").matches("^\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z  WARN --- .*");
    }

    private static HttpResponse<String> send(String method, String path, String authorization, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(app.url() + path))
                .header("Authorization", authorization).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        return Http.send(HTTP, request.build());
    }
}
