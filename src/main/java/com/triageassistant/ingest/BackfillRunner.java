package com.triageassistant.ingest;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import com.atlassian.connect.spring.AddonInstalledEvent;
import com.atlassian.connect.spring.AtlassianHost;
import com.atlassian.connect.spring.AtlassianHostRepository;
import com.fasterxml.jackson.databind.JsonNode;
import com.triageassistant.store.ClusterSingleton;
import com.triageassistant.store.ClusterSingletons;
import com.triageassistant.store.RetryDelays;
import com.triageassistant.store.TenantCompute;
import com.triageassistant.store.WorkLoop;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;

/**
 * Pulls project histories through {@code search/jql}, one page per turn: a job fetches a page, stores it and its
 * cursor, and goes back in line behind every backfill that has waited longer, so one large tenant cannot starve
 * the others. 429s defer the tenant until Jira's Retry-After; 5xx and network errors back off exponentially.
 * One node of the cluster (a {@link ClusterSingleton}) finds the due pages; each page is fetched through Ignite
 * compute on the tenant's primary node ({@link TenantCompute}). A page cut off by a dying node is still due, so it
 * is fetched again: the cursor moves only once a page is stored.
 */
@Component
class BackfillRunner implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(BackfillRunner.class);
    private static final DateTimeFormatter JQL_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
            .withZone(ZoneOffset.UTC);
    private static final int MAX_DISCOVERY_ATTEMPTS = 8;
    static final String JOB_KIND = "backfill";
    static final String SCHEDULER = "backfill-scheduler";

    private final BackfillRepository backfills;
    private final JiraClient jira;
    private final IssueStore issues;
    private final AtlassianHostRepository hosts;
    private final TenantCompute compute;
    private final ClusterSingletons singletons;
    private final RateLimitGate gate;
    private final IngestProperties props;
    private final RetryDelays retryDelays;
    private final Clock clock;
    private final ApplicationEventPublisher events;
    /** Pages fetched here at once, for the tenants this node holds. */
    private final Semaphore slots;
    private final Set<String> fetchingHere = ConcurrentHashMap.newKeySet();
    /** Project discovery after an install, on the node that took the install. */
    private final ScheduledExecutorService discovery;
    /** Present while the cluster's backfill scheduler runs on this node. */
    private volatile WorkLoop<BackfillRepository.Backfill> dispatcher;
    private volatile boolean running;
    private final Counter issuesFetched;
    private final Counter completed;

    BackfillRunner(BackfillRepository backfills, JiraClient jira, IssueStore issues, AtlassianHostRepository hosts,
                   TenantCompute compute, ClusterSingletons singletons, RateLimitGate gate, IngestProperties props,
                   Clock clock, ApplicationEventPublisher events, MeterRegistry meters) {
        this.events = events;
        this.backfills = backfills;
        this.jira = jira;
        this.issues = issues;
        this.hosts = hosts;
        this.compute = compute;
        this.singletons = singletons;
        this.gate = gate;
        this.props = props;
        this.retryDelays = new RetryDelays(props.backfillRetryInitialDelay(), props.backfillRetryMaxDelay());
        this.clock = clock;
        this.slots = new Semaphore(props.backfillThreads());
        this.discovery = Executors.newSingleThreadScheduledExecutor(new CustomizableThreadFactory("backfill-discovery-"));
        this.issuesFetched = Counter.builder("triage.backfill.issues").baseUnit("issues")
                .description("issues fetched from Jira's search by backfills on this node").register(meters);
        this.completed = Counter.builder("triage.backfill.completed")
                .description("project backfills finished on this node").register(meters);
    }

    @Override
    public void start() {
        running = true;
        compute.handle(JOB_KIND, this::fetchPage);
        singletons.offer(SCHEDULER, new Scheduler());
    }

    /** The cluster's one backfill scheduler: hands due pages to the tenants' nodes, and finds undiscovered tenants. */
    private final class Scheduler implements ClusterSingleton {

        private WorkLoop<BackfillRepository.Backfill> loop;

        @Override
        public void start() {
            int dispatching = Math.max(4, props.backfillThreads() * 4);
            loop = new WorkLoop<>("backfill-dispatch", dispatching, dispatching, Duration.ofMillis(500),
                    backfills::due, backfill -> backfill.clientKey() + "/" + backfill.projectKey(),
                    backfill -> compute.run(JOB_KIND, backfill.clientKey(), backfill.projectKey()));
            loop.start();
            dispatcher = loop;
            discovery.execute(BackfillRunner.this::discoverWhereMissing);
        }

        @Override
        public void stop() {
            dispatcher = null;
            loop.stop();
        }
    }

    /** A tenant installed the app: find its projects and backfill each. */
    @EventListener
    public void onInstalled(AddonInstalledEvent event) {
        scheduleDiscovery(event.getHost().getClientKey(), 1);
    }

    /**
     * A Forge installation has a fresh app token again: what waited for one goes now, rather than at the end of its
     * back-off (a 429's wait still holds: the gate is asked before each page).
     */
    @EventListener
    public void onAccessRestored(JiraAccessRestored event) {
        if (!backfills.hasAny(event.clientKey())) {
            scheduleDiscovery(event.clientKey(), 1);
            return;
        }
        backfills.dueNow(event.clientKey());
        wakeUp();
    }

    /** A tenant that never got its projects discovered (e.g. the app stopped right after install) gets them now. */
    private void discoverWhereMissing() {
        try {
            for (AtlassianHost host : hosts.findAll()) {
                if (host.isAddonInstalled() && !backfills.hasAny(host.getClientKey())) {
                    scheduleDiscovery(host.getClientKey(), 1);
                }
            }
        } catch (RuntimeException e) {
            log.warn("Could not check tenants for missing backfills", e);
        }
    }

    private void scheduleDiscovery(String clientKey, int attempt) {
        if (!running) {
            return;
        }
        Duration delay = attempt == 1 ? Duration.ZERO : retryDelays.afterFailures(attempt - 1);
        discovery.schedule(() -> discover(clientKey, attempt), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void discover(String clientKey, int attempt) {
        Optional<AtlassianHost> host = installedHost(clientKey);
        if (host.isEmpty()) {
            return;
        }
        try {
            List<String> projects = jira.projectKeys(host.get());
            projects.forEach(project -> backfills.request(clientKey, project));
            log.info("Tenant {}: backfilling {} projects", clientKey, projects.size());
            wakeUp();
        } catch (JiraCallException | RuntimeException e) {
            if (attempt >= MAX_DISCOVERY_ATTEMPTS) {
                log.error("Tenant {}: giving up discovering projects after {} attempts: {}", clientKey, attempt,
                        e.getMessage());
                return;
            }
            log.warn("Tenant {}: project discovery failed ({}); retrying", clientKey, e.getMessage());
            scheduleDiscovery(clientKey, attempt + 1);
        }
    }

    /** A backfill was requested: look for due pages now rather than at the next tick. */
    void wakeUp() {
        WorkLoop<BackfillRepository.Backfill> loop = dispatcher;
        if (loop != null) {
            loop.wakeUp();
        }
    }

    /** On the tenant's node, through Ignite compute: the next page, if it is still due. */
    private void fetchPage(String clientKey, String projectKey) {
        String id = clientKey + "/" + projectKey;
        if (!running || !fetchingHere.add(id)) {
            return;
        }
        try {
            slots.acquire();
            try {
                backfills.find(clientKey, projectKey).filter(this::due).ifPresent(this::runPage);
            } finally {
                slots.release();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            fetchingHere.remove(id);
        }
    }

    private boolean due(BackfillRepository.Backfill backfill) {
        boolean open = backfill.state().equals(BackfillRepository.PENDING)
                || backfill.state().equals(BackfillRepository.RUNNING);
        return open && !backfill.nextRunAt().isAfter(clock.instant());
    }

    private void runPage(BackfillRepository.Backfill backfill) {
        try {
            Optional<AtlassianHost> host = installedHost(backfill.clientKey());
            if (host.isEmpty()) {
                return;
            }
            Instant now = clock.instant();
            Instant notBefore = gate.notBefore(backfill.clientKey());
            if (notBefore.isAfter(now)) {
                backfills.postpone(backfill, notBefore, backfill.lastError(), false);
                return;
            }
            fetchAndStore(host.get(), backfill);
        } catch (RuntimeException e) {
            log.warn("Backfill {}/{} failed a page: {}", backfill.clientKey(), backfill.projectKey(), e.toString());
            backfills.postpone(backfill, clock.instant().plus(retryDelays.afterFailures(backfill.failures() + 1)),
                    e.toString(), true);
        }
    }

    private void fetchAndStore(AtlassianHost host, BackfillRepository.Backfill backfill) {
        JiraClient.SearchPage page;
        try {
            page = jira.search(host, jql(backfill), backfill.nextPageToken(), props.backfillPageSize());
        } catch (JiraCallException.RateLimited e) {
            Instant at = clock.instant().plus(e.retryAfter());
            gate.deferUntil(backfill.clientKey(), at);
            backfills.postpone(backfill, at, e.getMessage(), false);
            return;
        } catch (JiraCallException.Unavailable e) {
            backfills.postpone(backfill, clock.instant().plus(retryDelays.afterFailures(backfill.failures() + 1)),
                    e.getMessage(), true);
            return;
        } catch (JiraCallException.Refused e) {
            if (e.status() == 400 && backfill.nextPageToken() != null) {
                log.info("Jira refused the page token of {}/{}; continuing from the cursor", backfill.clientKey(),
                        backfill.projectKey());
                backfills.restartQueryFromCursor(backfill);
            } else {
                backfills.fail(backfill, e.getMessage());
            }
            return;
        } catch (JiraCallException e) {
            throw new IllegalStateException(e);
        }
        List<IssueRecord> records = new ArrayList<>(page.issues().size());
        Instant cursor = backfill.cursorUpdated();
        for (JsonNode issue : page.issues()) {
            try {
                IssueRecord record = JiraIssueParser.parse(issue, backfill.projectKey());
                records.add(record);
                cursor = cursor == null || record.updated().isAfter(cursor) ? record.updated() : cursor;
            } catch (InvalidPayloadException e) {
                log.warn("Backfill {}/{}: skipping an issue Jira returned: {}", backfill.clientKey(),
                        backfill.projectKey(), e.getMessage());
            }
        }
        issues.upsert(backfill.clientKey(), records);
        issuesFetched.increment(records.size());
        if (page.nextPageToken() == null) {
            backfills.finish(backfill, cursor, records.size());
            completed.increment();
            events.publishEvent(new BackfillCompleted(backfill.clientKey(), backfill.projectKey()));
            log.info("Backfill {}/{} complete: {} issues", backfill.clientKey(), backfill.projectKey(),
                    backfill.issuesDone() + records.size());
        } else {
            backfills.pageDone(backfill, page.nextPageToken(), cursor, records.size());
        }
    }

    /**
     * The project by update time. After a refused token the query restarts a day before the cursor: JQL dates are
     * read in the user's time zone, and a day covers every offset; the overlap is harmless (newest version wins).
     */
    private static String jql(BackfillRepository.Backfill backfill) {
        String jql = "project = \"" + backfill.projectKey().replace("\"", "") + "\"";
        if (backfill.queryFrom() != null) {
            jql += " AND updated >= \"" + JQL_TIME.format(backfill.queryFrom().minus(1, ChronoUnit.DAYS)) + "\"";
        }
        return jql + " ORDER BY updated ASC";
    }

    private Optional<AtlassianHost> installedHost(String clientKey) {
        return hosts.findById(clientKey).filter(AtlassianHost::isAddonInstalled);
    }

    @Override
    public void stop() {
        running = false;
        singletons.withdraw(SCHEDULER);
        compute.stopHandling(JOB_KIND);
        discovery.shutdownNow();
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
