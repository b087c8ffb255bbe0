package com.triageassistant.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.triageassistant.jira.emulator.EmulatedSite;
import com.triageassistant.jira.emulator.JiraEmulator;
import com.triageassistant.support.AppCluster;
import com.triageassistant.support.WebhookStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each of three instances is stopped and started again in turn (as a deployment of a new version does) while
 * webhooks keep coming through the load balancer: every delivery ends up stored, once.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class RollingRestartIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aRollingRestartUnderSteadyWebhooksStoresEveryDeliveryOnce() throws Exception {
        try (JiraEmulator jira = new JiraEmulator(AppCluster.JIRA_LIKE_RETRIES, Clock.systemUTC());
             AppCluster cluster = new AppCluster(dir, 3, "384m", List.of(
                     "--atlassian.connect.public-key-base-url=" + jira.keyServerUrl(),
                     // Nothing to learn here; the cores go to the three JVMs.
                     "--triage.ml.enabled=false"))) {
            cluster.start();
            EmulatedSite site = jira.createSite("rolling");
            WebhookStream stream = new WebhookStream(site, "ROLL");
            assertThat(site.install(cluster.url())).isEqualTo(204);
            stream.start(Duration.ofMillis(100));

            for (int i = 0; i < cluster.size(); i++) {
                int before = stream.created();
                await().atMost(Duration.ofSeconds(30)).until(() -> stream.created() >= before + 20);
                assertThat(cluster.instance(i).stop(Duration.ofSeconds(60))).as("instance %d stopped", i).isTrue();
                cluster.instance(i).start();
                cluster.awaitStable(Duration.ofMinutes(1));
            }

            int created = stream.stop();
            assertThat(site.awaitWebhooks(Duration.ofMinutes(1))).isTrue();
            assertThat(stream.attempted()).hasSize(created);
            assertThat(stream.acknowledged()).hasSize(created);
            await().atMost(Duration.ofMinutes(1)).until(() -> status(site).path("inboxPending").asLong() == 0
                    && issuesKnown(site) == created);
            // One inbox row per delivery identifier, however often Jira retried it; none parked as failing.
            assertThat(status(site).path("inboxDone").asLong()).isEqualTo(created);
            assertThat(status(site).path("inboxDead").asLong()).isZero();
            System.out.printf("rolling restart: %d deliveries, %d failed attempts retried%n", created,
                    stream.failedAttempts());
        }
    }

    private static JsonNode status(EmulatedSite site) throws Exception {
        return JSON.readTree(site.callApp("GET", "/api/ingest/status", null, null).body());
    }

    private static long issuesKnown(EmulatedSite site) throws Exception {
        return JSON.readTree(site.callApp("GET", "/api/projects/ROLL/history", null, null).body())
                .path("issuesKnown").asLong();
    }
}
