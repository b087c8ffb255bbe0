package com.triageassistant.suggest;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.triageassistant.ingest.BackfillRepository;
import com.triageassistant.ingest.IssueRecord;
import com.triageassistant.ingest.IssueStore;
import com.triageassistant.ml.BaselineVerdict;
import com.triageassistant.ml.ModelRegistry;
import com.triageassistant.ml.SidecarSupervisor;
import com.triageassistant.ml.TrainingJobs;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;

/** Assembles what the glance shows for one issue from stored data only: no call to Jira or Python on this path. */
@Service
public class GlanceService {

    private static final Map<String, String> TITLES = Map.of("assignee", "Assignee", "labels", "Labels",
            "components", "Components", "priority", "Priority");

    private final IssueStore issues;
    private final TargetSettingsStore settings;
    private final SuggestionStore suggestions;
    private final FeedbackStore feedback;
    private final ModelRegistry registry;
    private final TrainingJobs jobs;
    private final BackfillRepository backfills;
    private final SidecarSupervisor sidecar;
    private final ApplicationEventPublisher events;
    private final ObjectMapper json;

    GlanceService(IssueStore issues, TargetSettingsStore settings, SuggestionStore suggestions,
                  FeedbackStore feedback, ModelRegistry registry, TrainingJobs jobs, BackfillRepository backfills,
                  SidecarSupervisor sidecar, ApplicationEventPublisher events, ObjectMapper json) {
        this.issues = issues;
        this.settings = settings;
        this.suggestions = suggestions;
        this.feedback = feedback;
        this.registry = registry;
        this.jobs = jobs;
        this.backfills = backfills;
        this.sidecar = sidecar;
        this.events = events;
        this.json = json;
    }

    /**
     * @param projectKey from Jira's signed iframe URL; used only while the issue itself is not in the store yet
     */
    public GlanceView view(String clientKey, long issueId, String issueKey, String projectKey) {
        Optional<IssueRecord> stored = issues.find(clientKey, issueId);
        String project = stored.map(IssueRecord::projectKey).orElse(projectKey);
        String key = stored.map(IssueRecord::issueKey).orElse(issueKey);
        List<TargetSettings> enabled = settings.forProject(clientKey, project).values().stream()
                .filter(TargetSettings::enabled).toList();
        if (enabled.isEmpty()) {
            return whole(issueId, key, project, new GlanceView.Notice("disabled", "Suggestions are off for this project",
                    "A project admin can turn them on in Project settings → Triage Assistant.", null));
        }
        Optional<BackfillRepository.Backfill> backfill = backfills.find(clientKey, project);
        if (stored.isEmpty()) {
            return whole(issueId, key, project, backfill.filter(GlanceService::loading).map(this::loadingNotice)
                    .orElse(new GlanceView.Notice("pending", "This issue has just arrived",
                            "Suggestions appear here in a few seconds.", null)));
        }
        IssueRecord issue = stored.get();
        Map<String, SuggestionStore.Suggestion> rows = suggestions.find(clientKey, issueId).stream()
                .collect(Collectors.toMap(SuggestionStore.Suggestion::target, Function.identity()));
        List<FeedbackStore.Feedback> decisions = feedback.forIssue(clientKey, issueId);
        List<GlanceView.TargetPanel> panels = new ArrayList<>();
        for (TargetSettings target : enabled) {
            panels.add(panel(clientKey, issue, target, rows.get(target.target()), decisions, backfill));
        }
        List<GlanceView.Notice> notices = panels.stream().map(GlanceView.TargetPanel::notice).toList();
        // notices whose details are the target's own (its ranking, its model's scores) stay in their panels
        boolean sameEverywhere = notices.stream().allMatch(n -> n != null && !n.kind().equals("nothing")
                && !n.kind().equals("below-baseline") && n.kind().equals(notices.get(0).kind()));
        if (sameEverywhere) {
            return whole(issueId, issue.issueKey(), project, notices.get(0));
        }
        return new GlanceView(issueId, issue.issueKey(), project, null, panels, applyAll(issue, panels));
    }

    private GlanceView.TargetPanel panel(String clientKey, IssueRecord issue, TargetSettings target,
                                         SuggestionStore.Suggestion row, List<FeedbackStore.Feedback> decisions,
                                         Optional<BackfillRepository.Backfill> backfill) {
        String name = target.target();
        List<String> current = issue.valuesOf(name);
        boolean accounts = name.equals("assignee");
        if (name.equals("assignee") && !current.isEmpty()) {
            return new GlanceView.TargetPanel(name, TITLES.get(name), current, accounts, List.of(), null);
        }
        if (row == null) {
            return new GlanceView.TargetPanel(name, TITLES.get(name), current, accounts, List.of(),
                    missing(clientKey, issue, name, backfill));
        }
        Set<String> skipped = new HashSet<>(current);
        decisions.stream().filter(d -> d.target().equals(name)).forEach(d -> skipped.add(d.suggested()));
        List<Suggested> ranked = row.values();
        List<GlanceView.Item> items = Ranking.offered(target, ranked, skipped).stream()
                .map(choice -> item(name, issue, row, choice)).toList();
        return new GlanceView.TargetPanel(name, TITLES.get(name), current, accounts, items,
                items.isEmpty() && current.isEmpty() ? nothing(ranked) : null);
    }

    private static GlanceView.Item item(String target, IssueRecord issue, SuggestionStore.Suggestion row,
                                        Ranking.Choice choice) {
        Suggested value = choice.value();
        return new GlanceView.Item(value.value(), (int) Math.round(value.probability() * 100), value.probability(),
                value.because(), IssueEdits.apply(target, value.value(), issue).toString(), row.modelVersion(),
                choice.suggested(), choice.auto());
    }

    /** A ranking is always shown, suggested or not: this is only for a target with no value left to offer. */
    private static GlanceView.Notice nothing(List<Suggested> ranked) {
        return ranked.isEmpty()
                ? new GlanceView.Notice("nothing", "No suggestion", "The model has no value to offer for this issue.",
                null)
                : new GlanceView.Notice("nothing", "Nothing more to offer",
                "Every value the model ranked is set, dismissed, applied or excluded.", null);
    }

    /** The edit of Apply all: exactly the suggested values of every panel, alternatives left out. */
    private String applyAll(IssueRecord issue, List<GlanceView.TargetPanel> panels) {
        Map<String, List<String>> chosen = new LinkedHashMap<>();
        panels.forEach(panel -> {
            List<String> values = panel.suggested().stream().map(GlanceView.Item::value).toList();
            if (!values.isEmpty()) {
                chosen.put(panel.target(), values);
            }
        });
        return chosen.isEmpty() ? null : IssueEdits.applyAll(chosen, issue).toString();
    }

    /** Why a target has no stored suggestion for this issue. */
    private GlanceView.Notice missing(String clientKey, IssueRecord issue, String target,
                                      Optional<BackfillRepository.Backfill> backfill) {
        String projectKey = issue.projectKey();
        if (registry.active(clientKey, projectKey, target).isPresent()) {
            if (!sidecar.status().isUp()) {
                return new GlanceView.Notice("sidecar", "The suggestion engine is restarting",
                        "Suggestions appear here when it is back, usually within a minute.", null);
            }
            events.publishEvent(new SuggestionWanted(clientKey, issue.issueId()));
            return new GlanceView.Notice("pending", "Working out suggestions", "They appear here in a moment.", null);
        }
        Optional<TrainingJobs.Job> job = jobs.find(clientKey, projectKey, target);
        if (job.isPresent() && (job.get().state().equals(TrainingJobs.PENDING)
                || job.get().state().equals(TrainingJobs.RUNNING))) {
            return new GlanceView.Notice("training", "Learning from this project's history",
                    "Suggestions appear when the first model is trained.", null);
        }
        List<ModelRegistry.ModelVersion> versions = registry.versions(clientKey, projectKey, target);
        Optional<ModelRegistry.ModelVersion> latest = versions.stream()
                .max((a, b) -> Integer.compare(a.version(), b.version()));
        if (latest.isPresent() && latest.get().status().equals(ModelRegistry.INSUFFICIENT)) {
            return new GlanceView.Notice("not-enough-data", "Not enough data yet", needs(latest.get().result()), null);
        }
        Optional<BaselineVerdict> below = latest.flatMap(BaselineVerdict::of);
        if (below.isPresent()) {
            String sentence = below.get().sentence();
            return new GlanceView.Notice("below-baseline", "No suggestions: the model is not good enough yet",
                    Character.toUpperCase(sentence.charAt(0)) + sentence.substring(1)
                            + ", so it is not in service. It is checked again at the next training.", null);
        }
        if (backfill.isPresent() && loading(backfill.get())) {
            return loadingNotice(backfill.get());
        }
        return new GlanceView.Notice("training", "No model yet",
                "A model is trained once the project's history is read.", null);
    }

    private GlanceView.Notice loadingNotice(BackfillRepository.Backfill backfill) {
        return new GlanceView.Notice("loading", "Reading this project's history",
                backfill.issuesDone() + " issues read so far.", null);
    }

    private static boolean loading(BackfillRepository.Backfill backfill) {
        return backfill.state().equals(BackfillRepository.PENDING) || backfill.state().equals(BackfillRepository.RUNNING);
    }

    /** The training's own account of what it lacked, e.g. "Needs 50 issues (has 12) and 2 values (has 1)." */
    private String needs(String result) {
        JsonNode outcome = read(result);
        JsonNode needed = outcome.path("needed");
        JsonNode have = outcome.path("have");
        StringBuilder text = new StringBuilder("Needs at least ").append(needed.path("samples").asInt())
                .append(" issues with a value (has ").append(have.path("samples").asInt()).append(")");
        if (needed.has("classes")) {
            text.append(" and ").append(needed.path("classes").asInt()).append(" different values used at least ")
                    .append(needed.path("per_class").asInt()).append(" times each (has ")
                    .append(have.path("classes").asInt()).append(")");
        }
        return text.append('.').toString();
    }

    private static GlanceView whole(long issueId, String issueKey, String projectKey, GlanceView.Notice notice) {
        return new GlanceView(issueId, issueKey, projectKey, notice, List.of(), null);
    }

    private JsonNode read(String text) {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable stored JSON", e);
        }
    }
}
