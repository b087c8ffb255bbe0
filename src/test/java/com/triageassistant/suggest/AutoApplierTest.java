package com.triageassistant.suggest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.triageassistant.ingest.IssueRecord;
import com.triageassistant.ingest.IssueStore;
import com.triageassistant.jira.emulator.EmulatedIssue;
import com.triageassistant.jira.emulator.EmulatedSite;
import com.triageassistant.jira.emulator.EmulatedUser;
import com.triageassistant.jira.emulator.JiraEmulator;
import com.triageassistant.support.AppInstance;
import com.triageassistant.support.NodeSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Auto-apply acts only on a value the model would apply on its own ({@code auto}) that clears the project's
 * auto-apply floor; rows of older sidecars fall back to the floor alone. On the real store, with ON writing to an
 * emulated Jira as the app. The suggestion rows are stored as the sidecar's answers are (no model is trained).
 */
class AutoApplierTest {

    static final String PROJECT = "AUTO";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dataDir;

    static JiraEmulator jira;
    static AppInstance app;
    static EmulatedSite site;
    static EmulatedUser ada;
    static EmulatedUser max;

    @BeforeAll
    static void start() {
        jira = new JiraEmulator();
        app = AppInstance.start(NodeSpec.single(dataDir), Map.of(
                "atlassian.connect.public-key-base-url", jira.keyServerUrl(),
                "triage.ml.enabled", "false"));
        site = jira.createSite("auto-apply");
        site.createProject(PROJECT, "Auto", List.of("Bug"), List.of("api"));
        ada = site.createUser("Ada Auto");
        max = site.createUser("Max Auto");
        site.makeAssignable(PROJECT, ada.accountId(), max.accountId());
        assertThat(site.install(app.url())).isEqualTo(204);
    }

    @AfterAll
    static void stop() {
        app.close();
        jira.close();
    }

    @Test
    void onlyAValueTheModelWouldApplyIsAppliedEvenWhenItIsSuggested() {
        settings(AutoApplyMode.SHADOW, 0);
        IssueRecord suggestedOnly = newIssue();
        ranked(suggestedOnly, item(ada, 0.7, true, false), item(max, 0.2, false, false));
        IssueRecord auto = newIssue();
        // the second-ranked value is the one the model would apply (its per-value precision is what counts)
        ranked(auto, item(ada, 0.5, true, false), item(max, 0.45, false, true));

        decide(suggestedOnly);
        decide(auto);

        assertThat(decision(suggestedOnly)).isEmpty();
        assertThat(decision(auto)).get().satisfies(d -> {
            assertThat(d.value()).isEqualTo(max.accountId());
            assertThat(d.state()).isEqualTo(AutoApplyStore.State.WOULD_APPLY);
            assertThat(d.probability()).isEqualTo(0.45);
        });
        assertThat(site.issue(suggestedOnly.issueKey()).orElseThrow().assignee()).isNull();
    }

    @Test
    void theAutoApplyFloorComesOnTopOfTheModelsDecision() {
        settings(AutoApplyMode.SHADOW, 0.9);
        IssueRecord below = newIssue();
        ranked(below, item(ada, 0.85, true, true));
        decide(below);
        assertThat(decision(below)).isEmpty();

        settings(AutoApplyMode.SHADOW, 0.8);
        IssueRecord above = newIssue();
        ranked(above, item(ada, 0.85, true, true));
        decide(above);
        assertThat(decision(above)).get().extracting(AutoApplyStore.Decision::value).isEqualTo(ada.accountId());
    }

    @Test
    void rowsWithoutTheAutoFlagNeedTheFloorAsBefore() {
        settings(AutoApplyMode.SHADOW, 0.6);
        IssueRecord below = newIssue();
        ranked(below, legacy(ada, 0.5));
        decide(below);
        assertThat(decision(below)).isEmpty();

        // 0 (the model's choice) has no decision to follow in such rows: the old default threshold, 0.2
        settings(AutoApplyMode.SHADOW, 0);
        IssueRecord low = newIssue();
        ranked(low, legacy(ada, 0.15));
        decide(low);
        assertThat(decision(low)).isEmpty();
        IssueRecord above = newIssue();
        ranked(above, legacy(ada, 0.5));
        decide(above);
        assertThat(decision(above)).get().extracting(AutoApplyStore.Decision::value).isEqualTo(ada.accountId());
    }

    @Test
    void onWritesTheModelsValueToJiraAsTheAppOnce() throws Exception {
        settings(AutoApplyMode.ON, 0);
        IssueRecord issue = newIssue();
        ranked(issue, item(ada, 0.6, true, false), item(max, 0.3, false, true));

        decide(issue);

        await().atMost(Duration.ofSeconds(10)).until(() -> max.accountId().equals(
                site.issue(issue.issueKey()).orElseThrow().assignee()));
        assertThat(site.appRequests()).filteredOn(r -> r.method().equals("PUT")
                && r.path().equals("/rest/api/3/issue/" + issue.issueId())).singleElement()
                .satisfies(r -> assertThat(JSON.readTree(r.body())).isEqualTo(JSON.readTree(
                        "{\"fields\":{\"assignee\":{\"accountId\":\"" + max.accountId() + "\"}}}")));
        assertThat(decision(issue)).get().extracting(AutoApplyStore.Decision::state)
                .isEqualTo(AutoApplyStore.State.APPLIED);
    }

    // ---- helpers ----

    static void settings(AutoApplyMode mode, double autoThreshold) {
        app.bean(TargetSettingsStore.class).save(site.clientKey(), PROJECT, new TargetSettings("assignee", true, 0,
                mode, autoThreshold, List.of()));
    }

    static IssueRecord newIssue() {
        EmulatedIssue created = site.createIssue(PROJECT, "Bug", "Crash on start", null, List.of("api"), List.of(),
                "Medium", null, ada.accountId());
        return await().atMost(Duration.ofSeconds(30)).until(() -> app.bean(IssueStore.class)
                .find(site.clientKey(), created.id()), Optional::isPresent).orElseThrow();
    }

    static void ranked(IssueRecord issue, String... items) {
        app.bean(SuggestionStore.class).save(site.clientKey(), issue.issueId(), "assignee", PROJECT, 1,
                "[" + String.join(",", items) + "]", issue.updated());
    }

    static void decide(IssueRecord issue) {
        GlanceView view = app.bean(GlanceService.class).view(site.clientKey(), issue.issueId(), issue.issueKey(),
                PROJECT);
        app.bean(AutoApplier.class).newIssueSuggested(site.clientKey(), issue, view);
    }

    static Optional<AutoApplyStore.Decision> decision(IssueRecord issue) {
        return app.bean(AutoApplyStore.class).find(site.clientKey(), issue.issueId(), "assignee");
    }

    static String item(EmulatedUser user, double p, boolean suggest, boolean auto) {
        return "{\"value\":\"" + user.accountId() + "\",\"p\":" + p + ",\"suggest\":" + suggest + ",\"auto\":" + auto
                + ",\"because\":[]}";
    }

    static String legacy(EmulatedUser user, double p) {
        return "{\"value\":\"" + user.accountId() + "\",\"p\":" + p + ",\"because\":[]}";
    }
}
