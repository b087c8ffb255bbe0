package com.triageassistant.admin;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.triageassistant.ingest.BackfillRepository;
import com.triageassistant.ingest.IssueStore;
import com.triageassistant.ml.BaselineVerdict;
import com.triageassistant.ml.ModelRegistry;
import com.triageassistant.ml.TrainingJobs;
import com.triageassistant.suggest.AutoApplyStore;
import com.triageassistant.suggest.FeedbackStore;
import com.triageassistant.suggest.TargetSettings;
import com.triageassistant.suggest.TargetSettingsStore;
import org.springframework.stereotype.Service;

/** Reads what the project settings page shows from the store. */
@Service
class ProjectOverviewService {

    private static final Duration ACCEPTANCE_WINDOW = Duration.ofDays(90);

    private final TargetSettingsStore settings;
    private final ModelRegistry registry;
    private final TrainingJobs jobs;
    private final BackfillRepository backfills;
    private final IssueStore issues;
    private final FeedbackStore feedback;
    private final AutoApplyStore autoApplied;
    private final ObjectMapper json;
    private final Clock clock;

    ProjectOverviewService(TargetSettingsStore settings, ModelRegistry registry, TrainingJobs jobs,
                           BackfillRepository backfills, IssueStore issues, FeedbackStore feedback,
                           AutoApplyStore autoApplied, ObjectMapper json, Clock clock) {
        this.settings = settings;
        this.registry = registry;
        this.jobs = jobs;
        this.backfills = backfills;
        this.issues = issues;
        this.feedback = feedback;
        this.autoApplied = autoApplied;
        this.json = json;
        this.clock = clock;
    }

    ProjectOverview overview(String clientKey, String projectKey) {
        Optional<BackfillRepository.Backfill> backfill = backfills.find(clientKey, projectKey);
        ProjectOverview.History history = new ProjectOverview.History(
                backfill.map(BackfillRepository.Backfill::state).orElse("NOT_STARTED"),
                backfill.map(BackfillRepository.Backfill::issuesDone).orElse(0L),
                issues.countLive(clientKey, projectKey),
                backfill.map(BackfillRepository.Backfill::lastError).orElse(null),
                backfill.map(BackfillRepository.Backfill::finishedAt).orElse(null));
        List<ProjectOverview.Target> targets = new ArrayList<>();
        for (TargetSettings target : settings.forProject(clientKey, projectKey).values()) {
            targets.add(target(clientKey, projectKey, target));
        }
        return new ProjectOverview(projectKey, history, targets);
    }

    private ProjectOverview.Target target(String clientKey, String projectKey, TargetSettings target) {
        String name = target.target();
        List<ModelRegistry.ModelVersion> stored = registry.versions(clientKey, projectKey, name).stream()
                .sorted(Comparator.comparingInt(ModelRegistry.ModelVersion::version).reversed()).toList();
        List<ProjectOverview.Version> versions = stored.stream().map(this::version).toList();
        ProjectOverview.Job job = jobs.find(clientKey, projectKey, name).map(j -> new ProjectOverview.Job(j.state(),
                j.reason(), j.requestedAt(), j.startedAt(), j.finishedAt(), j.lastError())).orElse(null);
        Map<FeedbackStore.Action, Long> counts = feedback.counts(clientKey, projectKey, name,
                clock.instant().minus(ACCEPTANCE_WINDOW));
        ProjectOverview.Acceptance acceptance = new ProjectOverview.Acceptance(counts.get(FeedbackStore.Action.ACCEPTED),
                counts.get(FeedbackStore.Action.DISMISSED), counts.get(FeedbackStore.Action.OVERRIDDEN));
        Charts.Confusion confusion = stored.stream().filter(v -> v.status().equals(ModelRegistry.ACTIVE)).findFirst()
                .or(() -> stored.stream().filter(v -> v.mainValue() != null).findFirst())
                .map(v -> Charts.confusion(read(v.result()).path("holdout"))).orElse(null);
        BaselineVerdict belowBaseline = stored.stream().findFirst().flatMap(BaselineVerdict::of).orElse(null);
        Integer activeVersion = stored.stream().filter(v -> v.status().equals(ModelRegistry.ACTIVE)).findFirst()
                .map(ModelRegistry.ModelVersion::version).orElse(null);
        return new ProjectOverview.Target(target, job, versions, acceptance, autoApply(clientKey, projectKey, name),
                Charts.trend(versions), confusion, belowBaseline, activeVersion);
    }

    private ProjectOverview.Version version(ModelRegistry.ModelVersion v) {
        JsonNode result = read(v.result());
        JsonNode majority = result.path("holdout").path("baseline_majority").path(String.valueOf(v.mainMetric()));
        JsonNode seconds = result.path("timings").path("total_seconds");
        return new ProjectOverview.Version(v.version(), v.status(), v.trainedAt(), v.samples(),
                result.path("n_train").asInt(), result.path("n_test").asInt(), v.mainMetric(), v.mainValue(),
                majority.isNumber() ? majority.asDouble() : null, v.comparedWith(),
                seconds.isNumber() ? seconds.asDouble() : null);
    }

    private ProjectOverview.AutoApplyReport autoApply(String clientKey, String projectKey, String target) {
        long applied = 0, overridden = 0, failed = 0, right = 0, wrong = 0, open = 0;
        for (AutoApplyStore.Decision decision : autoApplied.forTarget(clientKey, projectKey, target)) {
            switch (decision.state()) {
                case APPLIED -> applied++;
                case OVERRIDDEN -> overridden++;
                case FAILED -> failed++;
                case WOULD_APPLY -> {
                    List<String> now = issues.find(clientKey, decision.issueId()).map(issue -> issue.valuesOf(target))
                            .orElse(List.of());
                    if (now.contains(decision.value())) {
                        right++;
                    } else if (now.isEmpty()) {
                        open++;
                    } else {
                        wrong++;
                    }
                }
            }
        }
        return new ProjectOverview.AutoApplyReport(applied, overridden, failed, right, wrong, open);
    }

    private JsonNode read(String text) {
        if (text == null) {
            return MissingNode.getInstance();
        }
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            return MissingNode.getInstance();
        }
    }
}
