package com.triageassistant.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.triageassistant.jira.emulator.ConnectJwts;
import com.triageassistant.jira.emulator.EmulatedSite;
import com.triageassistant.jira.emulator.Http;
import com.triageassistant.jira.emulator.JiraEmulator;
import com.triageassistant.support.AppInstance;
import com.triageassistant.support.EmulatorTrust;
import com.triageassistant.support.NodeSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * With {@code logging.config=classpath:logback-json.xml} every log line is one JSON object, and refused tokens are
 * masked there too.
 */
@ExtendWith(OutputCaptureExtension.class)
class StructuredLogTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;

    @Test
    void everyLineIsAJsonObjectWithTheUsualFieldsAndNoToken(CapturedOutput output) throws Exception {
        String token;
        try (JiraEmulator jira = new JiraEmulator();
             AppInstance app = AppInstance.start(NodeSpec.single(dataDir), EmulatorTrust.properties(jira, Map.of(
                     "triage.ml.enabled", "false", "logging.config", "classpath:logback-json.xml")))) {
            EmulatedSite site = jira.createSite("json-logs");
            site.createProject("LOG", "Logs", List.of("Bug"), List.of("api"));
            assertThat(site.install(app.url())).isEqualTo(204);
            token = ConnectJwts.hs256("wrong-secret-".repeat(4), ConnectJwts.claims(site.clientKey(),
                    ConnectJwts.qsh("POST", "/webhooks/issue-created"), Duration.ofMinutes(3)).build());
            int status = Http.send(HttpClient.newHttpClient(), HttpRequest.newBuilder(
                            URI.create(app.url() + "/webhooks/issue-created"))
                    .header("Authorization", "JWT " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build()).statusCode();
            assertThat(status).isEqualTo(401);
        }

        List<String> appLines = output.getAll().lines()
                .filter(line -> line.contains("\"logger_name\":\"com.triageassistant.")).toList();
        assertThat(appLines).as("the app's own lines").isNotEmpty();
        for (String line : appLines) {
            JsonNode entry = JSON.readTree(line);
            assertThat(entry.has("@timestamp") && entry.has("level") && entry.has("message")).as(line).isTrue();
        }
        assertThat(output.getAll()).doesNotContain(token)
                .contains("Rejected webhook request").contains("<jwt>");
    }
}
