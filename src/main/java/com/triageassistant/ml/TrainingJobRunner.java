package com.triageassistant.ml;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import com.atlassian.connect.spring.AtlassianHost;
import com.atlassian.connect.spring.AtlassianHostRepository;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.triageassistant.connect.InstalledTenants;
import com.triageassistant.connect.TenantStateRepository;
import com.triageassistant.ingest.BackfillCompleted;
import com.triageassistant.ingest.IssueRecord;
import com.triageassistant.ingest.IssueStore;
import com.triageassistant.ingest.IssuesChanged;
import com.triageassistant.ingest.JiraCallException;
import com.triageassistant.ingest.JiraClient;
import com.triageassistant.store.ClusterSingleton;
import com.triageassistant.store.ClusterSingletons;
import com.triageassistant.store.RetryDelays;
import com.triageassistant.store.TenantCompute;
import com.triageassistant.store.WorkLoop;
import org.apache.ignite.Ignite;
import org.apache.ignite.cluster.ClusterNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;

/**
 * Runs training jobs on the node that owns the tenant, a bounded number at a time, the longest waiting first (so
 * one tenant's many projects cannot starve the others). One node of the cluster (a {@link ClusterSingleton}) finds
 * the due jobs and the scheduled retrainings; each job runs through Ignite compute on the tenant's primary node
 * ({@link TenantCompute}), re-mapped by Ignite if that node dies. Every node puts back in line the jobs a dead node,
 * or its own previous life, left RUNNING. A job trains one target on the project's stored issues
 * in the sidecar, scores the active model on the same hold-out, and records the new version (see
 * {@link NewVersions}: ACTIVE, REJECTED, INSUFFICIENT or BELOW_BASELINE). A sidecar that is down postpones the job without using up its attempts.
 */
@Component
public class TrainingJobRunner implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(TrainingJobRunner.class);
    static final String JOB_KIND = "training";
    static final String SCHEDULER = "training-scheduler";
    /** How often each node looks for jobs left RUNNING by a node that is gone (or by its own previous life). */
    private static final Duration ORPHAN_CHECK = Duration.ofSeconds(15);

    private final TrainingJobs jobs;
    private final InstalledTenants installed;
    private final ModelRegistry registry;
    private final IssueStore issues;
    private final SidecarClient sidecar;
    private final JiraClient jira;
    private final AtlassianHostRepository hosts;
    private final TenantStateRepository tenants;
    private final Ignite ignite;
    private final TrainingProperties props;
    private final PriorityPlaceholders placeholders;
    private final NewVersions newVersions;
    private final RetryDelays retryDelays;
    private final ObjectMapper json;
    private final Clock clock;
    private final TenantCompute compute;
    private final ClusterSingletons singletons;
    private final TrainingMeters meters;
    /** Jobs of this node's tenants that train here at once. */
    private final Semaphore slots;
    private final ScheduledExecutorService housekeeping;
    /** Present while the cluster's training scheduler runs on this node. */
    private volatile WorkLoop<TrainingJobs.Job> dispatcher;
    private volatile boolean running;
    private final Set<String> runningHere = ConcurrentHashMap.newKeySet();
    /** When each project was last checked for enough changes to retrain: at most once a minute. */
    private final Map<String, Instant> lastChangeCheck = new ConcurrentHashMap<>();

    TrainingJobRunner(TrainingJobs jobs, ModelRegistry registry, IssueStore issues, SidecarClient sidecar,
                      JiraClient jira, AtlassianHostRepository hosts, TenantStateRepository tenants,
                      TenantCompute compute, ClusterSingletons singletons, Ignite ignite, TrainingProperties props,
                      PriorityPlaceholders placeholders, InstalledTenants installed, ObjectMapper json,
                      Clock clock, TrainingMeters meters) {
        this.installed = installed;
        this.meters = meters;
        this.jobs = jobs;
        this.registry = registry;
        this.issues = issues;
        this.sidecar = sidecar;
        this.jira = jira;
        this.hosts = hosts;
        this.tenants = tenants;
        this.ignite = ignite;
        this.props = props;
        this.placeholders = placeholders;
        this.newVersions = new NewVersions(new PromotionGuard(props.promotionTolerance()));
        this.retryDelays = new RetryDelays(props.retryInitialDelay(), props.retryMaxDelay());
        this.json = json;
        this.clock = clock;
        this.compute = compute;
        this.singletons = singletons;
        this.slots = new Semaphore(props.threads());
        this.housekeeping = Executors.newSingleThreadScheduledExecutor(
                new CustomizableThreadFactory("training-housekeeping-"));
    }

    @Override
    public void start() {
        running = true;
        compute.handle(JOB_KIND, this::execute);
        housekeeping.scheduleWithFixedDelay(this::requeueOrphans, 0, ORPHAN_CHECK.toMillis(), TimeUnit.MILLISECONDS);
        singletons.offer(SCHEDULER, new Scheduler());
    }

    /**
     * The cluster's one training scheduler: dispatches due jobs (a dispatching thread only waits for its job, which
     * runs on the tenant's node, so there are more of them than training threads on one node) and sweeps for stale
     * models hourly.
     */
    private final class Scheduler implements ClusterSingleton {

        private WorkLoop<TrainingJobs.Job> loop;

        @Override
        public void start() {
            int dispatching = Math.max(4, props.threads() * 4);
            loop = new WorkLoop<>("training-dispatch", dispatching, dispatching, Duration.ofSeconds(2), jobs::due,
                    TrainingJobs::idOf, job -> compute.run(JOB_KIND, job.clientKey(),
                    job.projectKey() + "/" + job.target()));
            loop.start();
            loop.schedule(TrainingJobRunner.this::retrainStaleModels, Duration.ofMinutes(1), Duration.ofHours(1));
            dispatcher = loop;
        }

        @Override
        public void stop() {
            dispatcher = null;
            loop.stop();
        }
    }

    private void wakeUp() {
        WorkLoop<TrainingJobs.Job> loop = dispatcher;
        if (loop != null) {
            loop.wakeUp();
        }
    }

    /** Asks for every target of a project to be trained (an admin's button, a finished backfill). */
    public void requestAll(String clientKey, String projectKey, String reason, Instant notBefore) {
        for (String target : props.targets()) {
            request(clientKey, projectKey, target, reason, notBefore);
        }
    }

    public void request(String clientKey, String projectKey, String target, String reason, Instant notBefore) {
        jobs.request(clientKey, projectKey, target, reason, notBefore);
        wakeUp();
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
            wakeUp();
        } catch (RuntimeException e) {
            log.warn("Scheduled retraining sweep failed; next one in an hour", e);
        }
    }

    /** Jobs RUNNING on a node that crashed or left, or on this one before a restart, go back in line. */
    private void requeueOrphans() {
        try {
            Set<String> live = Set.copyOf(ignite.cluster().nodes().stream()
                    .map(ClusterNode::consistentId).map(String::valueOf).toList());
            int requeued = jobs.requeueRunningExcept(live, Collections.unmodifiableSet(runningHere), thisNode());
            if (requeued > 0) {
                log.info("Requeued {} training jobs left running by a stopped node", requeued);
                wakeUp();
            }
        } catch (RuntimeException e) {
            log.warn("Could not requeue orphaned training jobs", e);
        }
    }

    private String thisNode() {
        return String.valueOf(ignite.cluster().localNode().consistentId());
    }

    /** On the tenant's node, through Ignite compute: the job as its row now stands, if it is still to be run. */
    private void execute(String clientKey, String key) {
        int slash = key.indexOf('/');
        String projectKey = key.substring(0, slash);
        String target = key.substring(slash + 1);
        String id = clientKey + "/" + key;
        // A failed-over copy and a fresh dispatch of the same job can both land here: one runs it.
        if (!running || !runningHere.add(id)) {
            return;
        }
        try {
            slots.acquire();
            try {
                jobs.find(clientKey, projectKey, target).filter(this::toRun).ifPresent(this::run);
            } finally {
                slots.release();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            runningHere.remove(id);
        }
    }

    /** Due, or left RUNNING by a node that is gone or by this node's previous life (not running here: checked). */
    private boolean toRun(TrainingJobs.Job job) {
        if (job.state().equals(TrainingJobs.PENDING)) {
            return !job.nextRunAt().isAfter(clock.instant());
        }
        return job.state().equals(TrainingJobs.RUNNING) && (job.node() == null || job.node().equals(thisNode())
                || ignite.cluster().nodes().stream().noneMatch(node -> job.node().equals(
                String.valueOf(node.consistentId()))));
    }

    private void run(TrainingJobs.Job job) {
        String id = TrainingJobs.idOf(job);
        long start = System.nanoTime();
        String outcome = TrainingMeters.FAILED;
        try {
            AtlassianHost host = hosts.findById(job.clientKey()).filter(AtlassianHost::isAddonInstalled).orElse(null);
            if (host == null || !tenants.isEnabled(job.clientKey()).orElse(true)) {
                jobs.finished(job);
                outcome = TrainingMeters.SKIPPED;
                return;
            }
            if (!jobs.started(job, thisNode())) {
                outcome = null; // another node runs it
                return;
            }
            outcome = train(job, host);
            jobs.finished(job);
        } catch (SidecarUnavailableException e) {
            log.info("Training {} postponed: {}", id, e.getMessage());
            jobs.retryLater(job, clock.instant().plus(retryDelays.afterFailures(1)), e.getMessage());
            outcome = TrainingMeters.POSTPONED;
        } catch (JiraCallException.RateLimited e) {
            jobs.retryLater(job, clock.instant().plus(e.retryAfter()), e.getMessage());
            outcome = TrainingMeters.POSTPONED;
        } catch (JiraCallException | RuntimeException e) {
            outcome = failed(job, e);
        } finally {
            if (outcome != null) {
                meters.ran(job.target(), outcome, start);
            }
        }
    }

    /** @return the run's outcome: {@link TrainingMeters#FAILED} for good, or {@link TrainingMeters#RETRY} */
    private String failed(TrainingJobs.Job job, Exception e) {
        String error = e.getClass().getSimpleName() + ": " + e.getMessage();
        if (job.attempts() + 1 >= props.maxAttempts()) {
            log.warn("Training {} failed for good: {}", TrainingJobs.idOf(job), error);
            jobs.failed(job, error);
            return TrainingMeters.FAILED;
        }
        log.warn("Training {} failed (attempt {}): {}", TrainingJobs.idOf(job), job.attempts() + 1, error);
        jobs.retryLater(job, clock.instant().plus(retryDelays.afterFailures(job.attempts() + 1)), error);
        return TrainingMeters.RETRY;
    }

    /** @return the recorded version's status, or {@link TrainingMeters#SKIPPED} when the tenant left meanwhile */
    private String train(TrainingJobs.Job job, AtlassianHost host) throws JiraCallException {
        List<IssueRecord> projectIssues = issues.projectIssues(job.clientKey(), job.projectKey());
        ObjectNode options = json.createObjectNode()
                .put("now", clock.millis())
                .put("auto_precision", props.autoPrecision());
        if (job.target().equals("priority")) {
            options.putPOJO("priority_placeholders", placeholders.of(job.clientKey(), job.projectKey()));
        }
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
        Optional<ModelRegistry.ModelVersion> kept = installed.whileInstalled(job.clientKey(), () -> registry.record(
                job.clientKey(), job.projectKey(), job.target(), newVersions.of(outcome, active.orElse(null))));
        if (kept.isEmpty()) {
            log.info("Trained {} for a tenant uninstalled meanwhile: not kept", TrainingJobs.idOf(job));
            return TrainingMeters.SKIPPED;
        }
        ModelRegistry.ModelVersion recorded = kept.get();
        log.info("Trained {}: version {} {} ({} {} on {} hold-out issues; active model's score compared with: {})",
                TrainingJobs.idOf(job), recorded.version(), recorded.status(), recorded.mainMetric(),
                recorded.mainValue(), outcome.result().path("n_test").asText(), recorded.comparedWith());
        return recorded.status();
    }

    @Override
    public void stop() {
        running = false;
        singletons.withdraw(SCHEDULER);
        compute.stopHandling(JOB_KIND);
        housekeeping.shutdownNow();
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
