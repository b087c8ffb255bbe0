package com.triageassistant.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.triageassistant.jira.emulator.AppRequest;
import com.triageassistant.jira.emulator.EmulatedIssue;
import com.triageassistant.jira.emulator.EmulatedSite;
import com.triageassistant.jira.emulator.EmulatedUser;
import com.triageassistant.jira.emulator.IssueEdit;
import com.triageassistant.jira.emulator.JiraEmulator;
import com.triageassistant.jira.generator.GeneratorConfig;
import com.triageassistant.jira.generator.ProjectGenerator;
import com.triageassistant.support.AppProcess;
import com.triageassistant.support.EmulatorTrust;
import org.junit.jupiter.api.Test;
import org.springframework.util.FileSystemUtils;

/**
 * The log of a whole ordinary run of the packaged app (its own process, the real sidecar): a Connect site and a
 * Forge site installed, their histories backfilled, models trained, an issue suggested, a suggestion applied, an
 * account deleted, a site uninstalled. No line holds a token, a shared secret or an account id, and an ordinary run
 * warns about nothing.
 */
class LogScanIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");

    @Test
    void anOrdinaryRunLogsNoSecretTokenOrAccountAndNoWarning() throws Exception {
        // Not under java.io.tmpdir (unless the checkout is), where Ignite warns that persistence may be cleaned away.
        Path workDir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "log-scan-");
        try (JiraEmulator jira = new JiraEmulator()) {
            List<String> arguments = new ArrayList<>(AppProcess.repositorySidecar());
            EmulatorTrust.properties(jira, Map.of("spring.profiles.active", "production",
                            "triage.training.retry-initial-delay", "200ms"))
                    .forEach((name, value) -> arguments.add("--" + name + "=" + value));
            List<String> secrets = new ArrayList<>();
            List<String> accounts = new ArrayList<>();
            try (AppProcess app = new AppProcess(workDir, arguments)) {
                app.start();
                EmulatedSite connect = jira.createSite("scan-connect");
                connect.load(new ProjectGenerator(GeneratorConfig.defaults(5, "SCN").withIssueCount(600)).generate());
                assertThat(connect.install(app.url())).isEqualTo(204);
                EmulatedSite forge = jira.createSite("scan-forge");
                forge.load(new ProjectGenerator(GeneratorConfig.defaults(6, "FSC").withIssueCount(200)).generate());
                forge.installForge(EmulatorTrust.FORGE_MANIFEST, app.url());

                EmulatedUser admin = connect.siteAdmin();
                EmulatedIssue template = connect.issues("SCN").get(0);
                EmulatedIssue issue = connect.createIssue("SCN", template.issueType(), template.summary(),
                        template.description(), List.of(), List.of(), "Medium", null, template.reporter());
                JsonNode suggestions = awaitSuggestions(connect, issue, admin);
                JsonNode applied = JSON.createObjectNode();
                for (JsonNode row : suggestions) {
                    JsonNode ranked = JSON.readTree(row.path("ranked").asText());
                    if (!ranked.isEmpty()) {
                        applied = row;
                        String body = JSON.writeValueAsString(Map.of("target", row.path("target").asText(),
                                "value", ranked.get(0).path("value").asText(), "action", "dismissed"));
                        assertThat(connect.callAppWithToken("POST", "/api/issues/" + issue.id() + "/feedback", body,
                                connect.contextToken(admin.accountId(), issueContext(issue))).statusCode())
                                .isEqualTo(204);
                        break;
                    }
                }
                assertThat(applied).as("some target ranked a value").isNotEmpty();
                connect.editIssue(issue.key(), admin.accountId(), IssueEdit.create().addLabel("scanned"));
                forge.createIssue("FSC", template.issueType(), "Forge side", null, List.of(), List.of(), "Medium",
                        null, forge.users().get(0).accountId());
                assertThat(forge.awaitForgeEvents(Duration.ofSeconds(30))).isTrue();
                connect.deleteUser(template.reporter());
                assertThat(connect.awaitWebhooks(Duration.ofSeconds(30))).isTrue();
                Thread.sleep(2_000); // the deletion's erasure runs after its webhook is acknowledged

                secrets.add(connect.sharedSecret());
                jira.forge().apiCalls().stream().map(AppRequest::bearerToken).filter(token -> token != null)
                        .distinct().forEach(secrets::add);
                connect.users().forEach(user -> accounts.add(user.accountId()));
                forge.users().forEach(user -> accounts.add(user.accountId()));
                assertThat(connect.uninstall()).isEqualTo(204);
                assertThat(app.stop(Duration.ofSeconds(60))).isTrue();

                String log = app.logText();
                Files.writeString(Path.of("target/log-scan.log"), log); // kept for reading after the run
                assertThat(log).as("the run reached training").contains("SCN");
                assertThat(JWT.matcher(log).find()).as("a JWT in the log").isFalse();
                for (String secret : secrets) {
                    assertThat(log).doesNotContain(secret);
                }
                for (String account : accounts) {
                    assertThat(log).as("account id").doesNotContain(account);
                }
                // Ignite's pause detector reports the machine (a busy CI host), not the app; and Ignite rightly
                // warns about persistence under the temp directory when the checkout itself is there.
                boolean checkoutInTemp = workDir.startsWith(Path.of(System.getProperty("java.io.tmpdir"))
                        .toAbsolutePath());
                assertThat(log.lines().filter(line -> line.matches("^\\S+\\s+(WARN|ERROR) .*"))
                        .filter(line -> !line.contains("Possible too long JVM pause"))
                        .filter(line -> !(checkoutInTemp && line.contains("store directory is in the temp directory"))))
                        .as("warnings of an ordinary run").isEmpty();
                assertThat(log.lines().filter(line -> !line.isBlank() && !line.matches("^\\d{4}-\\d\\d-\\d\\dT.*")
                        && !line.matches("^\\s+at .*|^Caused by: .*|^\\s+\\.\\.\\. \\d+ .*")))
                        .as("lines that are not log events (JSON logs would break on them)").isEmpty();
            }
        } finally {
            FileSystemUtils.deleteRecursively(workDir);
        }
    }

    private static JsonNode awaitSuggestions(EmulatedSite site, EmulatedIssue issue, EmulatedUser admin) {
        // Issues that arrived before the first models are suggested when they next change: nudge until then.
        int[] nudges = {0};
        return await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(2)).until(() -> {
            JsonNode rows = JSON.readTree(site.callApp("GET", "/api/issues/" + issue.id() + "/suggestions",
                    admin.accountId(), null).body());
            if (rows.isEmpty()) {
                site.editIssue(issue.key(), admin.accountId(), IssueEdit.create().summary(issue.summary() + " "
                        + ++nudges[0]));
            }
            return rows;
        }, rows -> !rows.isEmpty());
    }

    private static Map<String, Object> issueContext(EmulatedIssue issue) {
        return Map.of("jira", Map.of("issue", Map.of("id", String.valueOf(issue.id()), "key", issue.key()),
                "project", Map.of("key", issue.projectKey())));
    }
}
