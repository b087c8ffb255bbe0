package com.triageassistant.ml;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.atlassian.connect.spring.AtlassianHost;
import com.atlassian.connect.spring.AtlassianHostRepository;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.triageassistant.connect.TenantStateRepository;
import com.triageassistant.ingest.BackfillCompleted;
import com.triageassistant.ingest.IssueRecord;
import com.triageassistant.ingest.IssueStore;
import com.triageassistant.ingest.IssuesChanged;
import com.triageassistant.ingest.JiraCallException;
import com.triageassistant.ingest.JiraClient;
import com.triageassistant.store.RetryDelays;
import com.triageassistant.store.TenantPlacement;
import com.triageassistant.store.WorkLoop;
import org.apache.ignite.Ignite;
import org.apache.ignite.cluster.ClusterNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Runs training jobs on the node that owns the tenant, a bounded number at a time, the longest waiting first (so
 * one tenant's many projects cannot starve the others). A job trains one target on the project's stored issues
 * in the sidecar, scores the active model on the same hold-out, and records the new version as ACTIVE or
 * REJECTED. A sidecar that is down postpones the job without using up its attempts.
 */
@Component
public class TrainingJobRunner implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(TrainingJobRunner.class);

    private final TrainingJobs jobs;
    private final ModelRegistry registry;
    private final IssueStore issues;
    private final SidecarClient sidecar;
    private final JiraClient jira;
    private final AtlassianHostRepository hosts;
    private final TenantStateRepository tenants;
    private final Ignite ignite;
    private final TrainingProperties props;
    private final PromotionGuard guard;
    private final RetryDelays retryDelays;
    private final ObjectMapper json;
    private final Clock clock;
    private final WorkLoop<TrainingJobs.Job> loop;
    private final Set<String> runningHere = ConcurrentHashMap.newKeySet();
    /** When each project was last checked for enough changes to retrain: at most once a minute. */
    private final Map<String, Instant> lastChangeCheck = new ConcurrentHashMap<>();

    TrainingJobRunner(TrainingJobs jobs, ModelRegistry registry, IssueStore issues, SidecarClient sidecar,
                      JiraClient jira, AtlassianHostRepository hosts, TenantStateRepository tenants,
                      TenantPlacement placement, Ignite ignite, TrainingProperties props, ObjectMapper json,
                      Clock clock) {
        this.jobs = jobs;
        this.registry = registry;
        this.issues = issues;
        this.sidecar = sidecar;
        this.jira = jira;
        this.hosts = hosts;
        this.tenants = tenants;
        this.ignite = ignite;
        this.props = props;
        this.guard = new PromotionGuard(props.promotionTolerance());
        this.retryDelays = new RetryDelays(props.retryInitialDelay(), props.retryMaxDelay());
        this.json = json;
        this.clock = clock;
        this.loop = new WorkLoop<>("training", props.threads(), props.threads() * 4, Duration.ofSeconds(2),
                limit -> jobs.due(limit).stream().filter(job -> placement.isLocal(job.clientKey())).toList(),
                TrainingJobs::idOf, this::run);
    }

    @Override
    public void start() {
        loop.start();
        loop.schedule(this::requeueOrphans, Duration.ZERO, Duration.ofMinutes(1));
        loop.schedule(this::retrainStaleModels, Duration.ofMinutes(1), Duration.ofHours(1));
    }

    /** Asks for every target of a project to be trained (an admin's button, a finished backfill). */
    public void requestAll(String clientKey, String projectKey, String reason, Instant notBefore) {
        for (String target : props.targets()) {
            request(clientKey, projectKey, target, reason, notBefore);
        }
    }

    public void request(String clientKey, String projectKey, String target, String reason, Instant notBefore) {
        jobs.request(clientKey, projectKey, target, reason, notBefore);
        loop.wakeUp();
    }

    @EventListener
    void onBackfillCompleted(BackfillCompleted event) {
        requestAll(event.clientKey(), event.projectKey(), "backfill", clock.instant());
    }

    /** Enough changed issues since the last training: retrain once the burst has settled. */
    @EventListener
    void onIssuesChanged(IssuesChanged event) {
        String project = event.clientKey() + "/" + event.projectKey();
        Instant now = clock.instant();
        Instant last = lastChangeCheck.get(project);
        if (last != null && last.isAfter(now.minus(Duration.ofMinutes(1)))) {
            return;
        }
        lastChangeCheck.put(project, now);
        Instant since = lastTraining(event.clientKey(), event.projectKey());
        if (since != null && issues.countChangedSince(event.clientKey(), event.projectKey(), since)
                >= props.newIssuesToRetrain()) {
            requestAll(event.clientKey(), event.projectKey(), "new-data", now.plus(props.debounce()));
        }
    }

    private Instant lastTraining(String clientKey, String projectKey) {
        return props.targets().stream()
                .flatMap(target -> registry.versions(clientKey, projectKey, target).stream().limit(1))
                .map(ModelRegistry.ModelVersion::trainedAt)
                .min(Instant::compareTo).orElse(null);
    }

    private void retrainStaleModels() {
        try {
            Instant before = clock.instant().minus(props.retrainEvery());
            for (ModelRegistry.ModelVersion stale : registry.activeTrainedBefore(before)) {
                if (issues.countChangedSince(stale.clientKey(), stale.projectKey(), stale.trainedAt()) > 0) {
                    jobs.request(stale.clientKey(), stale.projectKey(), stale.target(), "schedule", clock.instant());
                }
            }
            loop.wakeUp();
        } catch (RuntimeException e) {
            log.warn("Scheduled retraining sweep failed; next one in an hour", e);
        }
    }

    /** Jobs RUNNING on a node that crashed or left, or on this one before a restart, go back in line. */
    private void requeueOrphans() {
        try {
            Set<String> live = Set.copyOf(ignite.cluster().nodes().stream()
                    .map(ClusterNode::consistentId).map(String::valueOf).toList());
            int requeued = jobs.requeueRunningExcept(live, Set.copyOf(runningHere), thisNode());
            if (requeued > 0) {
                log.info("Requeued {} training jobs left running by a stopped node", requeued);
                loop.wakeUp();
            }
        } catch (RuntimeException e) {
            log.warn("Could not requeue orphaned training jobs", e);
        }
    }

    private String thisNode() {
        return String.valueOf(ignite.cluster().localNode().consistentId());
    }

    private void run(TrainingJobs.Job job) {
        String id = TrainingJobs.idOf(job);
        runningHere.add(id);
        try {
            AtlassianHost host = hosts.findById(job.clientKey()).filter(AtlassianHost::isAddonInstalled).orElse(null);
            if (host == null || !tenants.isEnabled(job.clientKey()).orElse(true)) {
                jobs.finished(job);
                return;
            }
            jobs.started(job, thisNode());
            train(job, host);
            jobs.finished(job);
        } catch (SidecarUnavailableException e) {
            log.info("Training {} postponed: {}", id, e.getMessage());
            jobs.retryLater(job, clock.instant().plus(retryDelays.afterFailures(1)), e.getMessage());
        } catch (JiraCallException.RateLimited e) {
            jobs.retryLater(job, clock.instant().plus(e.retryAfter()), e.getMessage());
        } catch (JiraCallException | RuntimeException e) {
            failed(job, e);
        } finally {
            runningHere.remove(id);
        }
    }

    private void failed(TrainingJobs.Job job, Exception e) {
        String error = e.getClass().getSimpleName() + ": " + e.getMessage();
        if (job.attempts() + 1 >= props.maxAttempts()) {
            log.warn("Training {} failed for good: {}", TrainingJobs.idOf(job), error);
            jobs.failed(job, error);
        } else {
            log.warn("Training {} failed (attempt {}): {}", TrainingJobs.idOf(job), job.attempts() + 1, error);
            jobs.retryLater(job, clock.instant().plus(retryDelays.afterFailures(job.attempts() + 1)), error);
        }
    }

    private void train(TrainingJobs.Job job, AtlassianHost host) throws JiraCallException {
        List<IssueRecord> projectIssues = issues.projectIssues(job.clientKey(), job.projectKey());
        ObjectNode options = json.createObjectNode()
                .put("now", clock.millis())
                .put("precision_target", props.precisionTarget());
        if (job.target().equals("assignee")) {
            options.putPOJO("candidates", jira.assignableAccountIds(host, job.projectKey()));
        }
        Optional<ModelRegistry.ModelVersion> active = registry.active(job.clientKey(), job.projectKey(),
                job.target());
        byte[] activeArtifact = active.flatMap(model -> registry.artifact(job.clientKey(), job.projectKey(),
                job.target(), model.version())).orElse(null);
        active.ifPresent(model -> options.put("active_trained_at", model.trainedAt().toEpochMilli()));
        TrainingOutcome outcome = sidecar.train(job.target(), TrainingData.of(projectIssues), options.toString(),
                activeArtifact);
        ModelRegistry.ModelVersion recorded = registry.record(job.clientKey(), job.projectKey(), job.target(),
                newVersion(outcome, active.orElse(null)));
        log.info("Trained {}: version {} {} ({} {} on {} hold-out issues; active model's score compared with: {})",
                TrainingJobs.idOf(job), recorded.version(), recorded.status(), recorded.mainMetric(),
                recorded.mainValue(), outcome.result().path("n_test").asText(), recorded.comparedWith());
    }

    /**
     * Promotion compares like with like: both models on the hold-out issues the active one never saw when there
     * are enough of them, else the new hold-out score with the active model's own recorded one.
     */
    private ModelRegistry.NewVersion newVersion(TrainingOutcome outcome, ModelRegistry.ModelVersion active) {
        JsonNode result = outcome.result();
        JsonNode versions = result.path("versions");
        if (!outcome.trained()) {
            return new ModelRegistry.NewVersion(ModelRegistry.INSUFFICIENT, null, versions.path("sklearn").asText(null),
                    versions.path("numpy").asText(null), result.path("main_metric").asText(null), null, null,
                    result.path("n_samples").asInt(), result.toString());
        }
        double mainValue = result.path("main_value").asDouble();
        JsonNode comparison = result.path("comparison");
        double candidate = comparison.isObject() ? comparison.path("candidate").asDouble() : mainValue;
        Double activeScore = comparison.isObject() ? Double.valueOf(comparison.path("active").asDouble())
                : active == null ? null : active.mainValue();
        String status = guard.promote(candidate, activeScore) ? ModelRegistry.ACTIVE : ModelRegistry.REJECTED;
        return new ModelRegistry.NewVersion(status, outcome.artifact(), versions.path("sklearn").asText(null),
                versions.path("numpy").asText(null), result.path("main_metric").asText(null), mainValue,
                activeScore, result.path("n_samples").asInt(), result.toString());
    }

    @Override
    public void stop() {
        loop.stop();
    }

    @Override
    public boolean isRunning() {
        return loop.running();
    }
}
