package com.triageassistant.jira.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Forge's lifecycle events, Jira events, scheduled triggers and their delivery as the remote contract has it. */
class EmulatorForgeEventTest {

    static final Duration WAIT = Duration.ofSeconds(5);

    ForgeFixture fixture;
    RecordingForgeRemote remote;
    EmulatedSite site;

    @BeforeEach
    void start() {
        fixture = new ForgeFixture();
        remote = fixture.remote;
        site = fixture.site;
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void installSendsTheInstalledEventToTheLifecycleRouteWithASystemToken() {
        ForgeInstallation installation = fixture.install(site);

        assertThat(remote.invocations()).hasSize(1);
        RecordingForgeRemote.Invocation installed = remote.invocations().get(0);
        assertThat(installed.path()).isEqualTo("/forge/lifecycle");
        assertThat(installed.contentType()).isEqualTo("application/json");
        assertThat(installed.systemToken()).isNotBlank();
        JsonNode body = installed.body();
        assertThat(body.path("eventType").asText()).isEqualTo("avi:forge:installed:app");
        assertThat(body.path("id").asText()).isEqualTo(installation.installationId());
        assertThat(body.path("installerAccountId").asText()).isEqualTo(site.siteAdmin().accountId());
        assertThat(body.path("app").path("id").asText()).isEqualTo(ForgeFixture.APP_ID);
        assertThat(body.path("app").path("version").asText()).isEqualTo("1.0.0");
        assertThat(body.path("environment").path("id").asText()).isEqualTo(installation.environmentId());
        assertThat(body.path("context").asText()).isEqualTo("ari:cloud:jira::site/" + site.cloudId());
        assertThat(body.has("retryContext")).isFalse();
        // The app may use the token at once: the platform knows the installation before the event goes out.
        assertThat(fixture.exJira(site.cloudId(), "/rest/api/3/project/ACME", installed.systemToken())
                .statusCode()).isEqualTo(200);

        site.upgradeForge();
        assertThat(site.awaitForgeEvents(WAIT)).isTrue();
        JsonNode upgraded = remote.invocations().get(1).body();
        assertThat(upgraded.path("eventType").asText()).isEqualTo("avi:forge:upgraded:app");
        assertThat(upgraded.path("id").asText()).isEqualTo(installation.installationId());
        assertThat(upgraded.path("app").path("version").asText()).isEqualTo("2.0.0");
        assertThat(ForgeFixture.claims(remote.invocations().get(1).fit()).path("app").path("version").asText())
                .isEqualTo("2.0.0");
    }

    @Test
    void issueAndProjectEventsArriveAtTheEventsRouteInForgesShape() {
        fixture.install(site);
        EmulatedIssue issue = fixture.createIssue("Login fails");
        site.editIssue(issue.key(), fixture.alice.accountId(),
                IssueEdit.create().assignee(fixture.bob.accountId()).addLabel("auth"));
        site.deleteIssue(issue.key(), fixture.bob.accountId());
        site.deleteProject("ACME");
        assertThat(site.awaitForgeEvents(WAIT)).isTrue();

        List<RecordingForgeRemote.Invocation> events = remote.invocations().stream()
                .filter(invocation -> invocation.path().equals("/forge/events")).toList();
        assertThat(events).extracting(RecordingForgeRemote.Invocation::eventType).containsExactlyInAnyOrder(
                "avi:jira:created:issue", "avi:jira:updated:issue", "avi:jira:deleted:issue",
                "avi:jira:deleted:project");
        assertThat(events).allSatisfy(event -> {
            assertThat(event.systemToken()).isNotBlank();
            assertThat(fixture.verifiesAgainstJwks(event.fit())).isTrue();
            JsonNode fit = ForgeFixture.claims(event.fit());
            assertThat(fit.path("app").path("module").path("key").asText()).isEqualTo("issue-events");
            assertThat(event.body().path("context").path("cloudId").asText()).isEqualTo(site.cloudId());
            assertThat(event.body().path("context").path("moduleKey").asText()).isEqualTo("issue-events");
        });

        JsonNode created = body(events, "avi:jira:created:issue");
        assertThat(created.path("atlassianId").asText()).isEqualTo(fixture.alice.accountId());
        assertThat(created.path("issue").path("id").asText()).isEqualTo(String.valueOf(issue.id()));
        assertThat(created.path("issue").path("key").asText()).isEqualTo(issue.key());
        assertThat(created.path("issue").path("fields").path("summary").asText()).isEqualTo("Login fails");
        // Forge's issue events carry only some fields; the app reads the rest from Jira.
        assertThat(created.path("issue").path("fields").has("project")).isTrue();
        assertThat(created.path("issue").path("fields").has("updated")).isTrue();
        assertThat(created.path("issue").path("fields").has("priority")).isFalse();
        assertThat(created.path("issue").path("fields").has("components")).isFalse();
        assertThat(created.path("issue").path("fields").has("description")).isFalse();
        assertThat(created.has("changelog")).isFalse();
        assertThat(created.path("associatedUsers").findValuesAsText("accountId"))
                .contains(fixture.alice.accountId());

        JsonNode updated = body(events, "avi:jira:updated:issue");
        assertThat(updated.path("issue").path("fields").path("assignee").path("accountId").asText())
                .isEqualTo(fixture.bob.accountId());
        assertThat(updated.path("changelog").path("id").asText()).isNotBlank();
        assertThat(updated.path("changelog").path("items")).anySatisfy(item -> {
            assertThat(item.path("field").asText()).isEqualTo("assignee");
            assertThat(item.path("fieldId").asText()).isEqualTo("assignee");
            assertThat(item.path("fieldtype").asText()).isEqualTo("jira");
            assertThat(item.path("to").asText()).isEqualTo(fixture.bob.accountId());
            assertThat(item.path("toString").asText()).isEqualTo("Bob");
        });
        assertThat(updated.path("associatedUsers").findValuesAsText("accountId"))
                .contains(fixture.alice.accountId(), fixture.bob.accountId());

        assertThat(body(events, "avi:jira:deleted:issue").path("atlassianId").asText())
                .isEqualTo(fixture.bob.accountId());
        JsonNode project = body(events, "avi:jira:deleted:project");
        assertThat(project.path("project").path("key").asText()).isEqualTo("ACME");
        assertThat(project.path("project").path("name").asText()).isEqualTo("Acme");
        assertThat(project.path("project").path("id").asText()).isNotBlank();
        assertThat(project.path("atlassianId").asText()).isEqualTo(site.siteAdmin().accountId());
    }

    @Test
    void aFailingRemoteGetsFourRetriesEachWithRetryContextAndAFreshFit() {
        fixture.install(site);
        remote.answerWith(() -> 500);
        fixture.createIssue("Boom");
        assertThat(site.awaitForgeEvents(WAIT)).isTrue();

        List<RecordingForgeRemote.Invocation> attempts = remote.invocations().stream()
                .filter(invocation -> "avi:jira:created:issue".equals(invocation.eventType())).toList();
        assertThat(attempts).hasSize(5);
        assertThat(attempts.get(0).body().has("retryContext")).isFalse();
        for (int retry = 1; retry <= 4; retry++) {
            JsonNode context = attempts.get(retry).body().path("retryContext");
            assertThat(context.path("retryCount").asInt()).isEqualTo(retry);
            assertThat(context.path("retryReason").asText()).isNotBlank();
            assertThat(context.has("retryData")).isTrue();
            assertThat(context.path("retryData").isNull()).isTrue();
        }
        assertThat(attempts.stream().map(attempt -> ForgeFixture.claims(attempt.fit()).path("jti").asText())
                .distinct()).hasSize(5);
        assertThat(site.forgeDeliveries().stream().filter(a -> a.event().equals("avi:jira:created:issue")))
                .extracting(DeliveryAttempt::retry).containsExactly(0, 1, 2, 3, 4);
    }

    @Test
    void aRemoteThatRecoversStopsTheRetriesAndATimeOutCountsAsAFailure() {
        try (ForgeFixture slow = new ForgeFixture(new ForgeDeliveryPolicy(List.of(Duration.ofMillis(10),
                Duration.ofMillis(10), Duration.ofMillis(10), Duration.ofMillis(10)), Duration.ofSeconds(1),
                Duration.ofMillis(300)))) {
            slow.install(slow.site);
            slow.remote.delayNext(1, 600);
            slow.createIssue("Slow");
            assertThat(slow.site.awaitForgeEvents(WAIT)).isTrue();

            List<DeliveryAttempt> attempts = slow.site.forgeDeliveries().stream()
                    .filter(a -> a.event().equals("avi:jira:created:issue")).toList();
            assertThat(attempts).extracting(DeliveryAttempt::succeeded).containsExactly(false, true);
            assertThat(slow.remote.invocations().get(slow.remote.invocations().size() - 1).body()
                    .path("retryContext").path("retryReason").asText()).isEqualTo("TIMEOUT_ERROR");
        }
    }

    @Test
    void uninstallSendsNothingAndStopsEvents() {
        fixture.install(site);
        site.uninstallForge();
        fixture.createIssue("After uninstall");
        site.deleteProject("ACME");
        assertThat(site.awaitForgeEvents(WAIT)).isTrue();

        assertThat(remote.invocations()).extracting(RecordingForgeRemote.Invocation::eventType)
                .containsExactly("avi:forge:installed:app");
        assertThat(site.forgeInstallation()).isEmpty();
    }

    @Test
    void scheduledTriggersRunOnDemandAndOnATimer() {
        ForgeInstallation installation = fixture.install(site);
        site.runScheduledTriggers();
        assertThat(site.awaitForgeEvents(WAIT)).isTrue();

        RecordingForgeRemote.Invocation keepalive = remote.invocations().get(1);
        assertThat(keepalive.path()).isEqualTo("/forge/keepalive");
        assertThat(keepalive.body().path("context").path("cloudId").asText()).isEqualTo(site.cloudId());
        assertThat(keepalive.body().path("context").path("moduleKey").asText()).isEqualTo("keepalive");
        assertThat(keepalive.systemToken()).isNotBlank();
        JsonNode fit = ForgeFixture.claims(keepalive.fit());
        assertThat(fit.path("app").path("module").path("type").asText()).isEqualTo("core:scheduledTrigger");
        assertThat(fit.path("app").path("module").path("key").asText()).isEqualTo("keepalive");
        assertThat(fit.path("app").path("installationId").asText()).isEqualTo(installation.installationId());

        site.startScheduledTriggers(Duration.ofMillis(50));
        assertThat(remote.await(i -> i.path().equals("/forge/keepalive"), 3, WAIT)).hasSizeGreaterThanOrEqualTo(3);
        site.stopScheduledTriggers();
    }

    @Test
    void webhookFaultsApplyToForgeEventsToo() {
        fixture.install(site);
        site.forgeEventFaults().duplicateNext(1);
        fixture.createIssue("Twice");
        assertThat(site.awaitForgeEvents(WAIT)).isTrue();
        assertThat(remote.invocations()).filteredOn(i -> "avi:jira:created:issue".equals(i.eventType())).hasSize(2);

        site.forgeEventFaults().dropNext(1);
        fixture.createIssue("Dropped once");
        assertThat(site.awaitForgeEvents(WAIT)).isTrue();
        List<RecordingForgeRemote.Invocation> dropped = remote.invocations().stream()
                .filter(i -> i.body().path("issue").path("fields").path("summary").asText().equals("Dropped once"))
                .toList();
        assertThat(dropped).hasSize(2);
        assertThat(dropped.get(1).body().path("retryContext").path("retryCount").asInt()).isEqualTo(1);

        site.forgeEventFaults().hold();
        fixture.createIssue("A");
        fixture.createIssue("B");
        fixture.createIssue("C");
        assertThat(site.awaitForgeEvents(Duration.ofMillis(200))).as("held").isFalse();
        site.releaseHeldForgeEvents(7);
        assertThat(site.awaitForgeEvents(WAIT)).isTrue();
        assertThat(remote.invocations()).filteredOn(i -> "avi:jira:created:issue".equals(i.eventType()))
                .extracting(i -> i.body().path("issue").path("fields").path("summary").asText())
                .contains("A", "B", "C");
    }

    @Test
    void connectAndForgeAppsLiveSideBySide() {
        try (RecordingApp connect = new RecordingApp()) {
            assertThat(site.install(connect.url())).isEqualTo(204);
            String connectUser = site.appAccountId();
            fixture.install(site);
            assertThat(site.appAccountId()).as("Forge keeps the Connect app's user").isEqualTo(connectUser);

            fixture.createIssue("Both hear it");
            assertThat(site.awaitForgeEvents(WAIT)).isTrue();
            assertThat(site.awaitWebhooks(WAIT)).isTrue();
            assertThat(connect.deliveries()).extracting(RecordingApp.Delivery::event).contains("jira:issue_created");
            assertThat(remote.invocations()).extracting(RecordingForgeRemote.Invocation::eventType)
                    .contains("avi:jira:created:issue");

            site.uninstallForge();
            fixture.createIssue("Connect only");
            assertThat(site.awaitWebhooks(WAIT)).isTrue();
            assertThat(connect.deliveries()).filteredOn(d -> d.event().equals("jira:issue_created")).hasSize(2);
        }
    }

    private static JsonNode body(List<RecordingForgeRemote.Invocation> events, String eventType) {
        return events.stream().filter(event -> eventType.equals(event.eventType())).findFirst().orElseThrow().body();
    }
}
