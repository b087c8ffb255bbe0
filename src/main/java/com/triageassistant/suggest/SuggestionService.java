package com.triageassistant.suggest;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

import com.triageassistant.connect.InstalledTenants;
import com.triageassistant.ingest.IssueRecord;
import com.triageassistant.ingest.IssueStore;
import com.triageassistant.ingest.IssuesChanged;
import com.triageassistant.ml.IncompatibleArtifactException;
import com.triageassistant.ml.ModelRegistry;
import com.triageassistant.ml.PredictionBatcher;
import com.triageassistant.ml.TrainingJobRunner;
import com.triageassistant.ml.TrainingProperties;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;

/**
 * Computes and stores suggestions when an issue arrives or changes, for every target with a model in service.
 * A model the sidecar cannot read (corrupt, or of an older artifact format) is taken out of service and its
 * target retrained; a sidecar that is down leaves the issue to be suggested when it is next asked for.
 */
@Service
public class SuggestionService {

    private static final Logger log = LoggerFactory.getLogger(SuggestionService.class);

    private final IssueStore issues;
    private final ModelRegistry registry;
    private final PredictionBatcher batcher;
    private final SuggestionStore suggestions;
    private final TrainingJobRunner training;
    private final TrainingProperties targets;
    private final FeedbackService feedback;
    private final AutoApplier autoApplier;
    private final GlanceStatusPublisher status;
    private final GlanceService glance;
    private final Executor jiraCalls;
    private final InstalledTenants installed;
    private final Clock clock;
    private final TargetCounters computed;

    SuggestionService(IssueStore issues, ModelRegistry registry, PredictionBatcher batcher,
                      SuggestionStore suggestions, TrainingJobRunner training, TrainingProperties targets,
                      FeedbackService feedback, AutoApplier autoApplier, GlanceStatusPublisher status,
                      GlanceService glance,
                      @Qualifier("applicationTaskExecutor") Executor jiraCalls, InstalledTenants installed,
                      Clock clock, MeterRegistry meters) {
        this.installed = installed;
        this.computed = new TargetCounters(meters, "triage.suggestions.computed",
                "suggestions worked out for an issue: stored, failed (e.g. no sidecar), or the model was unreadable",
                targets.targets(), "outcome", List.of("stored", "failed", "incompatible"));
        this.feedback = feedback;
        this.autoApplier = autoApplier;
        this.status = status;
        this.glance = glance;
        this.jiraCalls = jiraCalls;
        this.issues = issues;
        this.registry = registry;
        this.batcher = batcher;
        this.suggestions = suggestions;
        this.training = training;
        this.targets = targets;
        this.clock = clock;
    }

    /**
     * Reads each issue back: the stored version is what the models may see (erased accounts already removed). A
     * person's change is weighed against the suggestions they saw before those are recomputed; auto-apply and the
     * glance's status follow the new ones, off the batcher's threads since they call Jira. A project without a
     * model in service has nothing to suggest, so its issues' glances and statuses are left alone.
     */
    @EventListener
    void onIssuesChanged(IssuesChanged event) {
        String clientKey = event.clientKey();
        boolean byPerson = event.change().byPerson();
        List<ModelRegistry.ModelVersion> models = servingModels(clientKey, event.projectKey());
        if (models.isEmpty() && !byPerson) {
            return; // nothing to suggest and no feedback to count: the issue need not be read back
        }
        for (long issueId : event.issueIds()) {
            issues.find(clientKey, issueId).ifPresent(issue -> {
                if (byPerson) {
                    feedback.personChanged(clientKey, issue, event.change().fields());
                }
                if (models.isEmpty()) {
                    return;
                }
                suggest(clientKey, issue, models).thenRunAsync(() -> {
                    GlanceView view = glance.view(clientKey, issue.issueId(), issue.issueKey(), issue.projectKey());
                    if (event.change().created()) {
                        autoApplier.newIssueSuggested(clientKey, issue, view);
                    }
                    status.publish(clientKey, issue, view.suggestionCount());
                }, jiraCalls).exceptionally(error -> {
                    log.warn("After suggesting issue {}: {}", issue.issueKey(), error.toString());
                    return null;
                });
            });
        }
    }

    @EventListener
    void onSuggestionWanted(SuggestionWanted wanted) {
        issues.find(wanted.clientKey(), wanted.issueId()).ifPresent(issue -> suggest(wanted.clientKey(), issue));
    }

    /** Completes when every target with an active model has a stored suggestion for this version of the issue. */
    public CompletableFuture<Void> suggest(String clientKey, IssueRecord issue) {
        return suggest(clientKey, issue, servingModels(clientKey, issue.projectKey()));
    }

    private CompletableFuture<Void> suggest(String clientKey, IssueRecord issue,
                                            List<ModelRegistry.ModelVersion> models) {
        return CompletableFuture.allOf(models.stream().map(model -> suggest(clientKey, issue, model))
                .toArray(CompletableFuture[]::new));
    }

    /** The project's active models of the targets this app serves. */
    private List<ModelRegistry.ModelVersion> servingModels(String clientKey, String projectKey) {
        return registry.activeModels(clientKey, projectKey).stream()
                .filter(model -> targets.targets().contains(model.target())).toList();
    }

    private CompletableFuture<Void> suggest(String clientKey, IssueRecord issue, ModelRegistry.ModelVersion model) {
        PredictionBatcher.ModelRef ref = new PredictionBatcher.ModelRef(clientKey, model.projectKey(),
                model.target(), model.version());
        return batcher.explain(ref, issue)
                .thenAccept(ranked -> installed.runWhileInstalled(clientKey, () -> {
                    suggestions.save(clientKey, issue.issueId(), model.target(), model.projectKey(), model.version(),
                            ranked, issue.updated());
                    computed.increment(model.target(), "stored");
                }))
                .exceptionally(error -> {
                    Throwable cause = error instanceof CompletionException ? error.getCause() : error;
                    boolean incompatible = cause instanceof IncompatibleArtifactException;
                    computed.increment(model.target(), incompatible ? "incompatible" : "failed");
                    if (incompatible) {
                        log.warn("Model {} cannot be read by the sidecar ({}); retraining {}", ref, cause.getMessage(),
                                model.target());
                        registry.retire(clientKey, model.projectKey(), model.target(), model.version());
                        training.request(clientKey, model.projectKey(), model.target(), "incompatible-model",
                                clock.instant());
                    } else {
                        log.info("No {} suggestion for issue {} now: {}", model.target(), issue.issueKey(),
                                cause.getMessage());
                    }
                    return null;
                });
    }
}
