package com.triageassistant.ml;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * Keeps one sidecar running: starts it when the app starts (in the background, so neither a slow nor a missing
 * Python holds up or fails start-up), pings it, and replaces it with exponential back-off when its process exits
 * or a ping goes unanswered (then it is killed first: a hung Python must not linger).
 *
 * <p>Every change of state happens on one supervisor thread, so the transitions need no locks; pings run on a
 * separate executor, so a hung Python blocks neither the pinger nor this thread, and calls' deadlines on a watchdog
 * thread that kills a sidecar leaving a call unanswered (calls run on their callers' threads). The published
 * {@link SidecarStatus} is an immutable snapshot.
 */
@Component
public class SidecarSupervisor implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SidecarSupervisor.class);

    private final SidecarProperties properties;
    private final ObjectMapper json;
    private final Clock clock;
    private final ExponentialBackOff backOffPolicy;
    private final ScheduledExecutorService control;
    private final ExecutorService pings;
    private final ScheduledThreadPoolExecutor watchdog;

    private volatile SidecarStatus status;
    private volatile SidecarProcess current;
    private volatile boolean running;

    // Supervisor thread only.
    private BackOffExecution backOff;
    private long incarnations;
    private Instant upSince;
    private boolean pingInFlight;

    public SidecarSupervisor(SidecarProperties properties, ObjectMapper json, Clock clock) {
        this.properties = properties;
        this.json = json;
        this.clock = clock;
        this.backOffPolicy = new ExponentialBackOff(properties.restartBackoffInitial().toMillis(), 2.0);
        this.backOffPolicy.setMaxInterval(properties.restartBackoffMax().toMillis());
        this.backOff = backOffPolicy.start();
        this.control = Executors.newSingleThreadScheduledExecutor(daemonThreads("sidecar-supervisor"));
        this.pings = Executors.newCachedThreadPool(daemonThreads("sidecar-ping"));
        this.watchdog = new ScheduledThreadPoolExecutor(1, daemonThreads("sidecar-watchdog"));
        // each incarnation's sweep is cancelled when its process exits: cancelled ones must not pile up
        this.watchdog.setRemoveOnCancelPolicy(true);
        this.status = SidecarStatus.initial(clock.instant());
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    public SidecarStatus status() {
        return status;
    }

    /** The running sidecar, for a call. */
    SidecarProcess current() {
        SidecarProcess process = current;
        if (process == null || !process.isAlive()) {
            SidecarStatus now = status;
            throw new SidecarUnavailableException("the sidecar is " + now.state()
                    + (now.lastError() == null ? "" : " (" + now.lastError() + ")"));
        }
        return process;
    }

    @Override
    public void start() {
        running = true;
        if (!properties.enabled()) {
            status = status.down("disabled (triage.ml.enabled=false)", clock.instant(), null);
            return;
        }
        control.execute(this::launch);
        long interval = properties.pingInterval().toMillis();
        control.scheduleWithFixedDelay(this::ping, interval, interval, TimeUnit.MILLISECONDS);
    }

    private void launch() {
        if (!running) {
            return;
        }
        long incarnation = ++incarnations;
        status = status.restarting(clock.instant());
        Instant started = clock.instant();
        SidecarProcess process;
        try {
            process = SidecarProcess.start(properties, incarnation, pings, watchdog);
        } catch (SidecarStartException e) {
            retryLater("could not start: " + e.getMessage());
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        JsonNode health;
        try {
            health = json.readTree(process.health().get(properties.startTimeout().toMillis(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            process.stop(properties.stopTimeout());
            Thread.currentThread().interrupt();
            return;
        } catch (Exception e) {
            process.kill();
            process.close();
            retryLater("first health call failed: " + e);
            return;
        }
        SidecarStatus.Versions versions = new SidecarStatus.Versions(health.path("python").asText(null),
                health.path("sklearn").asText(null), health.path("numpy").asText(null));
        current = process;
        upSince = clock.instant();
        status = status.up(incarnation, process.pid(), versions, health.path("rss_bytes").asLong(-1),
                health.path("models_loaded").asInt(), upSince);
        log.info("sidecar {} up in {} ms: pid {}, Python {}, scikit-learn {}, numpy {}", incarnation,
                Duration.between(started, upSince).toMillis(), process.pid(), versions.python(), versions.sklearn(),
                versions.numpy());
        process.exited().whenComplete((exitedProcess, error) -> onControl(() -> lost(process, null)));
    }

    /** Runs on the supervisor thread unless the supervisor is stopping (then there is nothing to supervise). */
    private void onControl(Runnable task) {
        try {
            control.execute(task);
        } catch (RejectedExecutionException e) {
            // Stopping: stop() takes care of the process.
        }
    }

    private void ping() {
        SidecarProcess process = current;
        if (process == null || pingInFlight) {
            return;
        }
        pingInFlight = true;
        process.health()
                .orTimeout(properties.pingTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((answer, error) -> onControl(() -> pinged(process, answer, error)));
    }

    private void pinged(SidecarProcess process, String answer, Throwable error) {
        pingInFlight = false;
        if (process != current) {
            return;
        }
        if (error == null) {
            try {
                JsonNode health = json.readTree(answer);
                status = status.pinged(health.path("rss_bytes").asLong(-1), health.path("models_loaded").asInt());
                return;
            } catch (IOException e) {
                error = e;
            }
        }
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause() : error;
        String reason = cause instanceof TimeoutException
                ? "health ping not answered within " + properties.pingTimeout() + " (hung): killed"
                : "health ping failed (" + cause.getClass().getSimpleName() + "): killed";
        log.warn("sidecar {} (pid {}): {}", process.incarnation(), process.pid(), reason);
        process.kill();
        lost(process, reason);
    }

    /** The process exited, or was killed for not answering. Replaces it after the back-off. */
    private void lost(SidecarProcess process, String reason) {
        if (process != current) {
            return;
        }
        current = null;
        pingInFlight = false;
        process.close();
        String why = reason != null ? reason
                : "process exited" + (process.exited().isDone() ? " with code " + process.exited().join().exitValue() : "");
        // A sidecar that stayed up longer than the longest back-off was healthy: the next loss starts over.
        if (upSince != null && Duration.between(upSince, clock.instant()).compareTo(properties.restartBackoffMax()) >= 0) {
            backOff = backOffPolicy.start();
        }
        long delay = backOff.nextBackOff();
        Instant next = clock.instant().plusMillis(delay);
        status = status.lost(why, clock.instant(), next);
        log.warn("sidecar {} (pid {}) lost: {}; restarting in {} ms", process.incarnation(), process.pid(), why, delay);
        schedule(delay);
    }

    private void retryLater(String reason) {
        long delay = backOff.nextBackOff();
        Instant now = clock.instant();
        status = status.down(reason, now, now.plusMillis(delay));
        // One line per attempt; attempts thin out with the back-off, so a missing Python does not flood the log.
        log.warn("sidecar {}; next attempt in {} ms", reason, delay);
        schedule(delay);
    }

    private void schedule(long delayMillis) {
        if (!running) {
            return;
        }
        try {
            control.schedule(this::launch, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // Stopping.
        }
    }

    @Override
    public void stop() {
        running = false;
        control.shutdownNow();
        try {
            if (!control.awaitTermination(properties.startTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("sidecar supervisor did not stop in time");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        SidecarProcess process = current;
        current = null;
        if (process != null) {
            process.stop(properties.stopTimeout());
            log.info("sidecar {} (pid {}) stopped", process.incarnation(), process.pid());
        }
        pings.shutdownNow();
        watchdog.shutdownNow();
        status = status.down("stopped with the app", clock.instant(), null);
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
