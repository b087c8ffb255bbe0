package com.triageassistant.suggest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.triageassistant.ingest.IssueRecord;
import com.triageassistant.ml.ModelRegistry;
import com.triageassistant.store.IgniteSql;
import com.triageassistant.support.AppInstance;
import com.triageassistant.support.NodeSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The glance's panels from stored rows on the real store: ranked values marked as suggested or offered as
 * alternatives under the project's floors, rows of older sidecars, values left out, Apply all's edit, and the
 * notice of a target whose model lost to the prior; the glance's Apply counted against the ranking the person saw.
 * Each test has its own project.
 */
class GlanceServiceTest {

    static final String TENANT = "glance-tenant";
    static final ObjectMapper JSON = new ObjectMapper();
    static final AtomicLong IDS = new AtomicLong(1000);

    @TempDir
    static Path dataDir;

    static AppInstance app;
    static GlanceService glance;

    @BeforeAll
    static void start() {
        app = AppInstance.start(NodeSpec.single(dataDir), Map.of("triage.ml.enabled", "false"));
        glance = app.bean(GlanceService.class);
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void suggestedValuesAreTheModelsChoiceAboveTheFloorAndTheOthersAreAlternatives() throws Exception {
        String project = only("P1", "labels", "assignee");
        settings(project, "labels", 0.7, List.of());
        IssueRecord issue = issue(project, List.of(), List.of(), "Medium", null);
        ranked(issue, "labels", item("crash", 0.82, true), item("editor", 0.64, true), item("ui", 0.4, false));
        ranked(issue, "assignee", item("acc-1", 0.35, false), item("acc-2", 0.3, false));

        GlanceView view = view(issue);

        assertThat(offered(view, "labels")).containsExactly("crash 82% suggested", "editor 64%", "ui 40%");
        // nothing suggested, yet the ranking is shown: no "no confident suggestion"
        GlanceView.TargetPanel assignee = panel(view, "assignee");
        assertThat(offered(view, "assignee")).containsExactly("acc-1 35%", "acc-2 30%");
        assertThat(assignee.notice()).isNull();
        assertThat(view.suggestionCount()).isEqualTo(1);
        assertThat(JSON.readTree(view.applyAll())).isEqualTo(JSON.readTree(
                "{\"update\":{\"labels\":[{\"add\":\"crash\"}]}}"));
    }

    @Test
    void rowsOfOlderSidecarsWithoutFlagsAreSuggestedAboveTheThreshold() {
        String project = only("P2", "assignee", "labels");
        IssueRecord issue = issue(project, List.of(), List.of(), "Medium", null);
        ranked(issue, "assignee", legacy("acc-1", 0.45), legacy("acc-2", 0.25), legacy("acc-3", 0.1));
        ranked(issue, "labels", legacy("crash", 0.8), legacy("editor", 0.55));

        // threshold 0, the model's choice: such rows have none, so the old defaults (0.2, 0.5) decide
        assertThat(offered(view(issue), "assignee")).containsExactly("acc-1 45% suggested", "acc-2 25%",
                "acc-3 10%");
        assertThat(offered(view(issue), "labels")).containsExactly("crash 80% suggested", "editor 55% suggested");

        settings(project, "labels", 0.6, List.of());
        assertThat(offered(view(issue), "labels")).containsExactly("crash 80% suggested", "editor 55%");
    }

    @Test
    void excludedSetAndDecidedValuesAreLeftOutAndTheNextOnesShown() {
        String project = only("P3", "labels", "components");
        settings(project, "labels", 0, List.of("WontFix"));
        IssueRecord issue = issue(project, List.of("Backend"), List.of("ui"), "Medium", null);
        ranked(issue, "labels", item("wontfix", 0.95, true), item("ui", 0.9, true), item("crash", 0.7, true),
                item("editor", 0.5, false), item("perf", 0.3, false), item("docs", 0.2, false));
        ranked(issue, "components", item("Backend", 0.9, true), item("Frontend", 0.6, true),
                item("Mobile", 0.2, false));
        app.bean(FeedbackStore.class).record(TENANT, project, new FeedbackStore.Feedback(issue.issueId(), "labels",
                FeedbackStore.Action.DISMISSED, "crash", null, 0.7, 1, Instant.now()));

        GlanceView view = view(issue);

        assertThat(offered(view, "labels")).containsExactly("editor 50%", "perf 30%", "docs 20%");
        assertThat(panel(view, "labels").current()).containsExactly("ui");
        assertThat(offered(view, "components")).containsExactly("Frontend 60% suggested", "Mobile 20%");
        // components are added to the issue's own
        assertThat(view.applyAll()).isEqualTo("{\"fields\":{\"components\":[{\"name\":\"Backend\"},"
                + "{\"name\":\"Frontend\"}]}}");
    }

    @Test
    void aSingleValuedTargetShowsAtMostOneSuggestedValueAndApplyAllOnlyThat() throws Exception {
        String project = only("P4", "priority", "assignee", "labels");
        IssueRecord issue = issue(project, List.of(), List.of(), "Medium", null);
        ranked(issue, "priority", item("High", 0.5, true), item("Highest", 0.3, true), item("Low", 0.1, false));
        ranked(issue, "assignee", legacy("acc-1", 0.5), legacy("acc-2", 0.4));
        ranked(issue, "labels", item("crash", 0.9, true), item("editor", 0.8, true), item("ui", 0.3, false));

        GlanceView view = view(issue);

        assertThat(offered(view, "priority")).containsExactly("High 50% suggested", "Highest 30%", "Low 10%");
        assertThat(offered(view, "assignee")).containsExactly("acc-1 50% suggested", "acc-2 40%");
        assertThat(view.suggestionCount()).isEqualTo(4);
        assertThat(JSON.readTree(view.applyAll())).isEqualTo(JSON.readTree("{\"fields\":{"
                + "\"priority\":{\"name\":\"High\"},\"assignee\":{\"accountId\":\"acc-1\"}},"
                + "\"update\":{\"labels\":[{\"add\":\"crash\"},{\"add\":\"editor\"}]}}"));

        // the issue got its priority from the model's choice: the runner-up is no suggestion of the model
        IssueRecord high = issue(project, List.of(), List.of(), "High", null);
        ranked(high, "priority", legacy("High", 0.5), legacy("Highest", 0.45));
        assertThat(offered(view(high), "priority")).containsExactly("Highest 45%");
    }

    @Test
    void onlyATargetWithNoRankedValueAtAllSaysSoAndAFullyUsedRankingSaysNothingIsLeft() {
        String project = only("P5", "labels");
        IssueRecord empty = issue(project, List.of(), List.of(), "Medium", null);
        ranked(empty, "labels");
        assertThat(panel(view(empty), "labels").notice().title()).isEqualTo("No suggestion");

        IssueRecord used = issue(project, List.of(), List.of("crash"), "Medium", null);
        ranked(used, "labels", item("crash", 0.9, true));
        // the issue has its label: shown as set, nothing to say
        assertThat(panel(view(used), "labels").notice()).isNull();
        assertThat(view(used).applyAll()).isNull();
    }

    @Test
    void aTargetWhoseModelLostToThePriorSaysSoWithBothNumbers() {
        String project = only("P6", "labels", "assignee");
        IssueRecord issue = issue(project, List.of(), List.of(), "Medium", null);
        ranked(issue, "assignee", item("acc-1", 0.6, true));
        app.bean(ModelRegistry.class).record(TENANT, project, "labels", new ModelRegistry.NewVersion(
                ModelRegistry.BELOW_BASELINE, null, "1.9.1", "2.3.5", "micro_f1", 0.05, null, 400,
                "{\"status\":\"below_baseline\",\"main_metric\":\"micro_f1\",\"main_value\":0.05,"
                        + "\"baseline\":{\"name\":\"majority\",\"value\":0.1},\"n_samples\":400}"));

        GlanceView.Notice notice = panel(view(issue), "labels").notice();

        assertThat(notice.kind()).isEqualTo("below-baseline");
        assertThat(notice.detail()).startsWith("The model's micro-F1 on recent issues was 5% against 10% for "
                + "always suggesting the most frequent value").contains("not in service");
        assertThat(offered(view(issue), "assignee")).containsExactly("acc-1 60% suggested");
    }

    @Test
    void everyTargetBelowThePriorKeepsItsOwnNumbers() {
        String project = only("P7", "labels", "priority");
        IssueRecord issue = issue(project, List.of(), List.of(), "Medium", null);
        belowBaseline(project, "labels", "micro_f1", 0.05, 0.1);
        belowBaseline(project, "priority", "macro_f1", 0.2, 0.3);

        GlanceView view = view(issue);

        // not folded into one glance-wide notice: that would show one target's scores for all
        assertThat(view.notice()).isNull();
        assertThat(panel(view, "labels").notice().detail()).contains("micro-F1").contains("5% against 10%");
        assertThat(panel(view, "priority").notice().detail()).contains("macro-F1").contains("20% against 30%");
    }

    @Test
    void anApplyThatArrivesAfterItsEditReplacedTheRankingStillCounts() {
        String project = only("P9", "labels");
        IssueRecord issue = issue(project, List.of(), List.of(), "Medium", null);
        ranked(issue, "labels", item("crash", 0.82, true), item("editor", 0.64, true));
        // the Apply's own edit came back as a webhook first: the label is on the issue and no longer ranked
        IssueRecord edited = new IssueRecord(issue.issueId(), issue.issueKey(), project, issue.summary(), "", "Bug",
                List.of(), List.of("crash"), "Medium", null, "reporter-1", issue.created(),
                issue.updated().plusSeconds(1));
        app.bean(SuggestionStore.class).save(TENANT, issue.issueId(), "labels", project, 2,
                "[" + item("editor", 0.61, true) + "]", edited.updated());

        FeedbackService feedback = app.bean(FeedbackService.class);
        feedback.record(TENANT, issue.issueId(), "labels", "crash", FeedbackStore.Action.ACCEPTED);
        feedback.record(TENANT, issue.issueId(), "labels", "editor", FeedbackStore.Action.DISMISSED);

        assertThat(app.bean(FeedbackStore.class).forIssue(TENANT, issue.issueId()))
                .extracting(f -> f.action() + " " + f.suggested() + " " + f.probability() + " v" + f.modelVersion())
                .containsExactly("ACCEPTED crash 0.82 v1", "DISMISSED editor 0.61 v2");
        assertThatThrownBy(() -> feedback.record(TENANT, issue.issueId(), "labels", "never-ranked",
                FeedbackStore.Action.ACCEPTED)).isInstanceOf(FeedbackService.RefusedFeedback.class);
    }

    static void belowBaseline(String project, String target, String metric, double value, double baseline) {
        app.bean(ModelRegistry.class).record(TENANT, project, target, new ModelRegistry.NewVersion(
                ModelRegistry.BELOW_BASELINE, null, "1.9.1", "2.3.5", metric, value, null, 400,
                "{\"status\":\"below_baseline\",\"main_metric\":\"" + metric + "\",\"main_value\":" + value
                        + ",\"baseline\":{\"name\":\"majority\",\"value\":" + baseline + "},\"n_samples\":400}"));
    }

    // ---- helpers ----

    static GlanceView view(IssueRecord issue) {
        return glance.view(TENANT, issue.issueId(), issue.issueKey(), issue.projectKey());
    }

    static GlanceView.TargetPanel panel(GlanceView view, String target) {
        return view.panels().stream().filter(p -> p.target().equals(target)).findFirst().orElseThrow();
    }

    /** "value percent% [suggested]" of each offered value, in order. */
    static List<String> offered(GlanceView view, String target) {
        return panel(view, target).items().stream()
                .map(item -> item.value() + " " + item.percent() + "%" + (item.suggested() ? " suggested" : ""))
                .toList();
    }

    /** A project of its own with only these targets enabled (threshold 0: the model's choice). */
    static String only(String project, String... targets) {
        TargetSettingsStore store = app.bean(TargetSettingsStore.class);
        List<String> enabled = List.of(targets);
        store.forProject(TENANT, project).values().forEach(s -> store.save(TENANT, project,
                new TargetSettings(s.target(), enabled.contains(s.target()), 0, AutoApplyMode.OFF, 0, List.of())));
        return project;
    }

    static void settings(String project, String target, double threshold, List<String> excluded) {
        app.bean(TargetSettingsStore.class).save(TENANT, project, new TargetSettings(target, true, threshold,
                AutoApplyMode.OFF, 0, excluded));
    }

    static IssueRecord issue(String project, List<String> components, List<String> labels, String priority,
                             String assignee) {
        long id = IDS.incrementAndGet();
        Instant now = Instant.now();
        try {
            app.bean(IgniteSql.class).update("MERGE INTO issue (client_key, issue_id, issue_key, project_key, summary, "
                            + "text, issue_type, components, labels, priority, assignee, reporter, created, updated, "
                            + "deleted) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", TENANT, id,
                    project + "-" + id, project, "Editor crashes", "", "Bug", JSON.writeValueAsString(components),
                    JSON.writeValueAsString(labels), priority, assignee, "reporter-1", Timestamp.from(now),
                    Timestamp.from(now), false);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return new IssueRecord(id, project + "-" + id, project, "Editor crashes", "", "Bug", components, labels,
                priority, assignee, "reporter-1", now, now);
    }

    /** Stores a target's ranked values for the issue as the sidecar's answer is stored. */
    static void ranked(IssueRecord issue, String target, String... items) {
        app.bean(SuggestionStore.class).save(TENANT, issue.issueId(), target, issue.projectKey(), 1,
                "[" + String.join(",", items) + "]", issue.updated());
    }

    static String item(String value, double p, boolean suggest) {
        return "{\"value\":\"" + value + "\",\"p\":" + p + ",\"suggest\":" + suggest + ",\"auto\":false,"
                + "\"because\":[{\"kind\":\"word\",\"feature\":\"word:crash\",\"weight\":0.8}]}";
    }

    static String legacy(String value, double p) {
        return "{\"value\":\"" + value + "\",\"p\":" + p + ",\"because\":[]}";
    }
}
