package com.triageassistant.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.triageassistant.jira.emulator.DeliveryAttempt;
import com.triageassistant.jira.emulator.EmulatedSite;
import com.triageassistant.jira.emulator.EmulatedUser;
import com.triageassistant.jira.emulator.JiraEmulator;
import com.triageassistant.support.AppProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kill -9 right after acknowledging a burst of webhooks loses none of them. */
class WebhookCrashIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BURST = 300;

    @TempDir
    Path workDir;

    @Test
    void everyAcknowledgedDeliverySurvivesKillMinusNine() throws Exception {
        try (JiraEmulator jira = new JiraEmulator();
             AppProcess app = new AppProcess(workDir, List.of(
                     "--atlassian.connect.public-key-base-url=" + jira.keyServerUrl(),
                     // One slow worker: most deliveries are still waiting in the inbox when the JVM dies.
                     "--triage.ingest.worker-threads=1", "--triage.ingest.poll-interval=10s"))) {
            app.start();
            EmulatedSite site = jira.createSite("crash");
            site.createProject("ACME", "Acme", List.of("Bug"), List.of("api"));
            EmulatedUser alice = site.createUser("Alice");
            site.makeAssignable("ACME", alice.accountId());
            assertThat(site.install(app.url())).isEqualTo(204);
            await().atMost(Duration.ofSeconds(30)).until(() -> backfillDone(site));

            for (int i = 0; i < BURST; i++) {
                site.createIssue("ACME", "Bug", "Burst " + i, null, List.of("api"), List.of(), "Medium", null,
                        alice.accountId());
            }
            assertThat(site.awaitWebhooks(Duration.ofSeconds(60))).isTrue();
            app.kill();

            long acknowledged = site.deliveries().stream().filter(DeliveryAttempt::succeeded)
                    .map(DeliveryAttempt::identifier).distinct().count();
            assertThat(acknowledged).isEqualTo(BURST);

            app.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> issuesKnown(site) == BURST);
        }
    }

    private static boolean backfillDone(EmulatedSite site) throws Exception {
        JsonNode history = JSON.readTree(site.callApp("GET", "/api/projects/ACME/history", null, null).body());
        return "DONE".equals(history.path("backfill").path("state").asText());
    }

    private static long issuesKnown(EmulatedSite site) throws Exception {
        return JSON.readTree(site.callApp("GET", "/api/projects/ACME/history", null, null).body())
                .path("issuesKnown").asLong();
    }
}
