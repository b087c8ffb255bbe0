package com.triageassistant.jira.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Webhooks as Jira Cloud delivers them: signed, identified, retried, duplicated, reordered. */
class EmulatorWebhookTest {

    JiraEmulator jira;
    RecordingApp recordingApp;
    EmulatedSite site;
    EmulatedUser alice;
    EmulatedUser bob;

    @BeforeEach
    void start() {
        jira = new JiraEmulator(new WebhookPolicy(List.of(Duration.ofMillis(20), Duration.ofMillis(40),
                Duration.ofMillis(60)), Duration.ofSeconds(1), Duration.ofMillis(500)), Clock.systemUTC());
        recordingApp = new RecordingApp();
        site = jira.createSite("hooks");
        site.createProject("ACME", "Acme", List.of("Bug"), List.of("api", "ui"));
        alice = site.createUser("Alice");
        bob = site.createUser("Bob");
        site.makeAssignable("ACME", alice.accountId(), bob.accountId());
        assertThat(site.install(recordingApp.url())).isEqualTo(204);
    }

    @AfterEach
    void stop() {
        jira.close();
        recordingApp.close();
    }

    @Test
    void anAppMayCallJiraWhileAnsweringInstalled() {
        RecordingApp eager = new RecordingApp();
        try (eager) {
            eager.callJiraWhileInstalling("/rest/api/3/project/ACME");
            EmulatedSite other = jira.createSite("eager");
            other.createProject("ACME", "Acme", List.of("Bug"), List.of());

            assertThat(other.install(eager.url())).isEqualTo(204);
            assertThat(eager.statusDuringInstall()).isEqualTo(200);
        }
    }

    @Test
    void everyEventKindArrivesSignedWithAStableIdentifier() {
        EmulatedIssue issue = createIssue("first");
        site.editIssue(issue.key(), alice.accountId(), IssueEdit.create().assignee(bob.accountId()).addLabel("x"));
        site.deleteIssue(issue.key(), alice.accountId());
        site.deleteUser(bob.accountId());
        site.deleteProject("ACME");
        assertThat(site.awaitWebhooks(Duration.ofSeconds(10))).isTrue();

        List<RecordingApp.Delivery> deliveries = recordingApp.deliveries();
        assertThat(deliveries).extracting(RecordingApp.Delivery::event).containsExactlyInAnyOrder(
                "jira:issue_created", "jira:issue_updated", "jira:issue_deleted", "user_deleted", "project_deleted");
        assertThat(deliveries).allSatisfy(delivery -> {
            assertThat(delivery.signatureValid()).as("HS256 with the tenant's secret").isTrue();
            assertThat(delivery.qshValid()).as("qsh of the webhook URL").isTrue();
            assertThat(delivery.issuer()).isEqualTo(site.clientKey());
            assertThat(delivery.identifier()).isNotBlank();
            assertThat(delivery.retryHeader()).isNull();
            assertThat(delivery.body().path("timestamp").asLong()).isPositive();
        });
        assertThat(deliveries.stream().map(RecordingApp.Delivery::identifier).distinct()).hasSize(5);

        JsonNode updated = byEvent(deliveries, "jira:issue_updated").body();
        assertThat(updated.path("user").path("accountId").asText()).isEqualTo(alice.accountId());
        assertThat(updated.path("issue").path("fields").path("assignee").path("accountId").asText())
                .isEqualTo(bob.accountId());
        Map<String, JsonNode> items = new java.util.HashMap<>();
        updated.path("changelog").path("items").forEach(item -> items.put(item.path("field").asText(), item));
        assertThat(items.get("assignee").path("to").asText()).isEqualTo(bob.accountId());
        assertThat(items.get("assignee").path("from").isNull()).isTrue();
        assertThat(items.get("labels").path("toString").asText()).isEqualTo("x");
        assertThat(byEvent(deliveries, "user_deleted").body().path("user").path("accountId").asText())
                .isEqualTo(bob.accountId());
        assertThat(byEvent(deliveries, "project_deleted").body().path("project").path("key").asText())
                .isEqualTo("ACME");
        assertThat(byEvent(deliveries, "jira:issue_created").body().path("issue").path("fields")
                .path("description").path("type").asText()).isEqualTo("doc");
    }

    @Test
    void retriesOnRetryableStatusesKeepingTheIdentifier() {
        AtomicInteger answers = new AtomicInteger();
        int[] statuses = {500, 429, 408, 200};
        recordingApp.answerWebhooksWith(() -> statuses[Math.min(answers.getAndIncrement(), statuses.length - 1)]);

        createIssue("retried");
        assertThat(site.awaitWebhooks(Duration.ofSeconds(10))).isTrue();

        List<RecordingApp.Delivery> deliveries = recordingApp.deliveries();
        assertThat(deliveries).hasSize(4);
        assertThat(deliveries).extracting(RecordingApp.Delivery::identifier).containsOnly(deliveries.get(0).identifier());
        assertThat(deliveries).extracting(RecordingApp.Delivery::retryHeader).containsExactly(null, "1", "2", "3");
        assertThat(site.deliveries()).extracting(DeliveryAttempt::status).containsExactly(500, 429, 408, 200);
    }

    @Test
    void givesUpAfterTheLastRetryAndDoesNotRetryClientErrors() {
        recordingApp.answerWebhooksWith(() -> 503);
        createIssue("always failing");
        assertThat(site.awaitWebhooks(Duration.ofSeconds(10))).isTrue();
        assertThat(recordingApp.deliveries()).hasSize(4); // the attempt and three retries of this policy

        recordingApp.answerWebhooksWith(() -> 400);
        createIssue("refused");
        assertThat(site.awaitWebhooks(Duration.ofSeconds(10))).isTrue();
        assertThat(recordingApp.deliveries()).hasSize(5);
    }

    @Test
    void slowAnswerCountsAsTimeoutAndIsRetried() {
        recordingApp.delayWebhookAnswers(800);
        createIssue("slow");
        site.awaitWebhooks(Duration.ofSeconds(1));
        recordingApp.delayWebhookAnswers(0);
        assertThat(site.awaitWebhooks(Duration.ofSeconds(10))).isTrue();

        assertThat(site.deliveries().get(0).status()).isEqualTo(-1);
        assertThat(site.deliveries().get(0).error()).contains("Timeout");
        assertThat(site.deliveries()).last().satisfies(attempt -> assertThat(attempt.succeeded()).isTrue());
        assertThat(recordingApp.deliveries()).extracting(RecordingApp.Delivery::identifier).containsOnly(
                recordingApp.deliveries().get(0).identifier());
    }

    @Test
    void duplicatesArriveTwiceWithTheSameIdentifier() {
        site.webhookFaults().duplicateNext(1);
        createIssue("twice");
        createIssue("once");
        assertThat(site.awaitWebhooks(Duration.ofSeconds(10))).isTrue();

        Map<String, Long> perIdentifier = recordingApp.deliveries().stream()
                .collect(Collectors.groupingBy(RecordingApp.Delivery::identifier, Collectors.counting()));
        assertThat(perIdentifier.values()).containsExactlyInAnyOrder(2L, 1L);
    }

    @Test
    void droppedConnectionIsRetriedAfterTheAppAlreadyGotIt() {
        site.webhookFaults().dropNext(1);
        createIssue("dropped");
        assertThat(site.awaitWebhooks(Duration.ofSeconds(10))).isTrue();

        List<RecordingApp.Delivery> deliveries = recordingApp.deliveries();
        assertThat(deliveries).hasSize(2);
        assertThat(deliveries.get(0).identifier()).isEqualTo(deliveries.get(1).identifier());
        assertThat(deliveries).extracting(RecordingApp.Delivery::retryHeader).containsExactly(null, "1");
        assertThat(site.deliveries().get(0).dropped()).isTrue();
    }

    @Test
    void heldDeliveriesAreReleasedOutOfOrder() {
        site.webhookFaults().hold();
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            created.add(createIssue("burst " + i).key());
        }
        site.releaseHeldWebhooks(42);
        assertThat(site.awaitWebhooks(Duration.ofSeconds(10))).isTrue();

        List<String> arrived = recordingApp.deliveries().stream()
                .map(delivery -> delivery.body().path("issue").path("key").asText()).toList();
        assertThat(arrived).containsExactlyInAnyOrderElementsOf(created).isNotEqualTo(created);
    }

    @Test
    void delayHoldsEachDeliveryBack() {
        site.webhookFaults().delay(Duration.ofMillis(300));
        long start = System.nanoTime();
        createIssue("late");
        assertThat(site.awaitWebhooks(Duration.ofSeconds(10))).isTrue();

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(recordingApp.deliveries()).hasSize(1);
    }

    @Test
    void appsRestChangeFiresUpdatedWebhookNamingTheApp() {
        EmulatedIssue issue = createIssue("changed by the app");
        site.awaitWebhooks(Duration.ofSeconds(5));
        AppClient app = new AppClient(site, RecordingApp.KEY);

        assertThat(app.put("/rest/api/3/issue/" + issue.key(), "{\"fields\":{\"priority\":{\"name\":\"High\"}}}")
                .statusCode()).isEqualTo(204);
        assertThat(site.awaitWebhooks(Duration.ofSeconds(10))).isTrue();

        RecordingApp.Delivery updated = byEvent(recordingApp.deliveries(), "jira:issue_updated");
        assertThat(updated.body().path("user").path("accountId").asText()).isEqualTo(site.appAccountId());
        assertThat(updated.body().at("/changelog/items/0/toString").asText()).isEqualTo("High");
    }

    @Test
    void noWebhooksOnceUninstalled() {
        assertThat(site.uninstall()).isEqualTo(204);
        createIssue("nobody listens");
        assertThat(site.awaitWebhooks(Duration.ofSeconds(5))).isTrue();
        assertThat(recordingApp.deliveries()).isEmpty();
        assertThat(new AppClient(site, RecordingApp.KEY).get("/rest/api/3/priority").statusCode()).isEqualTo(401);
    }

    private EmulatedIssue createIssue(String summary) {
        return site.createIssue("ACME", "Bug", summary, EmulatorRestTest.adf(summary), List.of("api"), List.of(),
                "Medium", null, alice.accountId());
    }

    private static RecordingApp.Delivery byEvent(List<RecordingApp.Delivery> deliveries, String event) {
        return deliveries.stream().filter(delivery -> delivery.event().equals(event)).findFirst().orElseThrow();
    }
}
