package com.triageassistant.support;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import com.triageassistant.jira.emulator.DeliveryAttempt;
import com.triageassistant.jira.emulator.EmulatedSite;
import com.triageassistant.jira.emulator.EmulatedUser;

/**
 * A steady load of webhooks: people file issues in one project at a fixed rate, and the site delivers each
 * {@code jira:issue_created} to the app (with its retries). Each issue is a distinct row in the app's store, so the
 * store's count shows whether every delivery arrived.
 */
public final class WebhookStream implements AutoCloseable {

    private static final String CREATED = "jira:issue_created";

    private final EmulatedSite site;
    private final String projectKey;
    private final EmulatedUser reporter;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final AtomicInteger created = new AtomicInteger();

    /** Creates the project and its reporter in the site; call before the app is installed so it is backfilled. */
    public WebhookStream(EmulatedSite site, String projectKey) {
        this.site = site;
        this.projectKey = projectKey;
        site.createProject(projectKey, "Load " + projectKey, List.of("Bug"), List.of("api"));
        this.reporter = site.createUser("Reporter " + projectKey);
        site.makeAssignable(projectKey, reporter.accountId());
    }

    public WebhookStream start(Duration every) {
        timer.scheduleAtFixedRate(() -> {
            int n = created.incrementAndGet();
            site.createIssue(projectKey, "Bug", "Load issue " + n, null, List.of("api"), List.of(), "Medium", null,
                    reporter.accountId());
        }, 0, every.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** Stops filing issues. @return how many were filed */
    public int stop() throws InterruptedException {
        timer.shutdown();
        timer.awaitTermination(10, TimeUnit.SECONDS);
        return created.get();
    }

    public int created() {
        return created.get();
    }

    /** Identifiers of creation deliveries the app acknowledged (2xx) at least once. */
    public Set<String> acknowledged() {
        return site.deliveries().stream().filter(attempt -> attempt.event().equals(CREATED))
                .filter(DeliveryAttempt::succeeded).map(DeliveryAttempt::identifier).collect(Collectors.toSet());
    }

    /** Identifiers of every creation delivery the site attempted. */
    public Set<String> attempted() {
        return site.deliveries().stream().filter(attempt -> attempt.event().equals(CREATED))
                .map(DeliveryAttempt::identifier).collect(Collectors.toSet());
    }

    /** Attempts that failed (refused, 5xx, time-out) and were then retried by the site, as Jira does. */
    public long failedAttempts() {
        return site.deliveries().stream().filter(attempt -> attempt.event().equals(CREATED))
                .filter(attempt -> !attempt.succeeded()).count();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
