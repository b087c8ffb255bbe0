package com.triageassistant.ml;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import py4j.CallbackClient;
import py4j.GatewayServer;

/**
 * One incarnation of the sidecar: a Python process ({@code python -m triage_ml.sidecar}) and the Py4J gateway it
 * talks to, with a fresh auth token. A restart is a new instance, so nothing of a lost process (its port, its
 * connections, its token) can be reached by a later call.
 */
final class SidecarProcess implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SidecarProcess.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    /** How often overdue calls are looked for: a call's time-out is kept to within this. */
    private static final Duration SWEEP = Duration.ofMillis(100);

    private final long incarnation;
    private final Process process;
    private final OutputStream stdin;
    private final GatewayServer gateway;
    private final SidecarEngine engine;
    private final Executor pings;
    private final Set<Deadline> inFlight = ConcurrentHashMap.newKeySet();
    private final ScheduledFuture<?> sweep;
    private final CompletableFuture<Process> exited;
    private final PayloadExchange payloads;

    private SidecarProcess(long incarnation, Process process, OutputStream stdin, GatewayServer gateway,
                           SidecarEngine engine, Executor pings, ScheduledExecutorService watchdog,
                           PayloadExchange payloads) {
        this.incarnation = incarnation;
        this.payloads = payloads;
        this.process = process;
        this.stdin = stdin;
        this.gateway = gateway;
        this.engine = engine;
        this.pings = pings;
        this.exited = process.onExit();
        this.sweep = watchdog.scheduleWithFixedDelay(this::killIfACallIsOverdue, SWEEP.toNanos(), SWEEP.toNanos(),
                TimeUnit.NANOSECONDS);
        exited.whenComplete((gone, error) -> sweep.cancel(false));
    }

    /**
     * Starts Python and waits until its engine is reachable. Blocks up to the start time-out; returns early with
     * an exception if Python exits first. Leaves nothing running when it fails.
     */
    static SidecarProcess start(SidecarProperties properties, long incarnation, Executor pings,
                                ScheduledExecutorService watchdog)
            throws SidecarStartException, InterruptedException {
        String python = interpreter(properties.python());
        String token = newToken();
        SidecarHandshake handshake = new SidecarHandshake();
        // Loopback only, port 0 so several bridges (tests, instances on one machine) never collide; the token
        // authenticates both directions: Python -> Java here, Java -> Python through the callback client.
        GatewayServer gateway = new GatewayServer.GatewayServerBuilder(handshake)
                .javaPort(0)
                .javaAddress(LOOPBACK)
                .authToken(token)
                .callbackClient(callbackClient(token))
                .build();
        Process process = null;
        PayloadExchange payloads = null;
        try {
            try {
                payloads = PayloadExchange.create(incarnation, PayloadCipher.create(properties.encryptPayloads()));
            } catch (IOException e) {
                throw new SidecarStartException("cannot create the payload directory: " + e.getMessage(), e);
            }
            gateway.start(true);
            ProcessBuilder builder = new ProcessBuilder(python, "-m", "triage_ml.sidecar");
            builder.environment().put("PYTHONPATH", pythonPath(properties.pythonPath()));
            try {
                process = builder.start();
            } catch (IOException e) {
                throw new SidecarStartException("cannot run " + python + ": " + e.getMessage(), e);
            }
            SidecarLogPump.start(process.getInputStream(), "sidecar-" + incarnation + "-stdout", Level.INFO);
            SidecarLogPump.start(process.getErrorStream(), "sidecar-" + incarnation + "-stderr", Level.WARN);
            OutputStream stdin = process.getOutputStream();
            // The handshake travels on stdin so the token is in no argv, environment or log. The token is
            // base64url, so it needs no JSON escaping. stdin stays open: its EOF tells Python to exit.
            // The payload key (base64, no escaping either) rides along the same way.
            String key = payloads.encodedKey();
            writeLine(stdin, "{\"java_port\": " + gateway.getListeningPort() + ", \"auth_token\": \"" + token
                    + "\", \"payload_dir\": \"" + new String(JsonStringEncoder.getInstance()
                            .quoteAsString(payloads.directory().toString())) + "\""
                    + (key == null ? "" : ", \"payload_key\": \"" + key + "\"") + "}");
            int callbackPort = awaitReady(handshake, process, properties.startTimeout());
            gateway.resetCallbackClient(LOOPBACK, callbackPort);
            SidecarEngine engine = (SidecarEngine) gateway.getPythonServerEntryPoint(new Class<?>[] {SidecarEngine.class});
            return new SidecarProcess(incarnation, process, stdin, gateway, engine, pings, watchdog, payloads);
        } catch (SidecarStartException | InterruptedException | RuntimeException e) {
            if (process != null) {
                process.destroyForcibly();
            }
            gateway.shutdown();
            if (payloads != null) {
                payloads.close();
            }
            throw e;
        }
    }

    /**
     * Py4J's defaults (idle connections closed after 30 s, memory management on, no read time-out: {@link #call}
     * bounds the wait) with Nagle off. The port is a placeholder until Python reports its callback port; the copy
     * made by {@code resetCallbackClient} keeps the token and the socket factory.
     */
    private static CallbackClient callbackClient(String token) {
        return new CallbackClient(GatewayServer.DEFAULT_PYTHON_PORT, LOOPBACK, token,
                CallbackClient.DEFAULT_MIN_CONNECTION_TIME, CallbackClient.DEFAULT_MIN_CONNECTION_TIME_UNIT,
                new NoDelaySocketFactory(), true, 0);
    }

    private static String interpreter(String configured) throws SidecarStartException {
        // A bare command ("python3") is looked up on PATH by the OS; a path must exist, and saying so beats
        // "error=2" from ProcessBuilder.
        if (!configured.contains(File.separator)) {
            return configured;
        }
        Path path = Path.of(configured).toAbsolutePath().normalize();
        if (!Files.isExecutable(path)) {
            throw new SidecarStartException("Python interpreter " + path + " does not exist or is not executable"
                    + " (triage.ml.python; the build creates .venv with python/setup-venv.sh)", null);
        }
        return path.toString();
    }

    private static String pythonPath(List<String> entries) {
        return String.join(File.pathSeparator,
                entries.stream().map(entry -> Path.of(entry).toAbsolutePath().normalize().toString()).toList());
    }

    private static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static void writeLine(OutputStream stdin, String line) throws SidecarStartException {
        try {
            stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        } catch (IOException e) {
            throw new SidecarStartException("Python closed its stdin before the handshake", e);
        }
    }

    private static int awaitReady(SidecarHandshake handshake, Process process, Duration timeout)
            throws SidecarStartException, InterruptedException {
        try {
            CompletableFuture.anyOf(handshake.ready(), process.onExit()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new SidecarStartException("Python was not ready within " + timeout, null);
        } catch (ExecutionException e) {
            throw new SidecarStartException("Python reported no usable callback port", e.getCause());
        }
        if (!handshake.ready().isDone()) {
            throw new SidecarStartException("Python exited with code " + process.exitValue()
                    + " before it was ready (its [sidecar] log lines say why)", null);
        }
        return handshake.ready().join();
    }

    long incarnation() {
        return incarnation;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Completes when the process has exited, for whatever reason. */
    CompletableFuture<Process> exited() {
        return exited;
    }

    /** Writes the payload of a call into this incarnation's {@link PayloadExchange}; close it after the call. */
    PayloadExchange.Payload payload(byte[] bytes) {
        return payloads.write(bytes);
    }

    /** Asynchronous, for the pinger: completes with the answer, or exceptionally. */
    CompletableFuture<String> health() {
        return CompletableFuture.supplyAsync(engine::health, pings);
    }

    /**
     * Makes one call on the caller's thread (a hand-off to another thread and back cost ~0.1 ms, a sixth of a
     * one-issue prediction's round trip) and bounds it by {@code timeout}: a call still unanswered then kills the
     * process, which breaks the call's connection. A stopped or wedged sidecar keeps its socket open, so nothing
     * else would end the wait; it is replaced by the supervisor as any dead one. A process that exits mid-call
     * breaks the connection by itself, so the caller learns at once that it has to retry.
     */
    <T> T call(String operation, Function<SidecarEngine, T> call, Duration timeout) {
        if (exited.isDone()) {
            throw new SidecarUnavailableException("sidecar " + incarnation + " has exited; " + operation + " not sent");
        }
        Deadline deadline = new Deadline(operation, timeout, System.nanoTime() + timeout.toNanos());
        inFlight.add(deadline);
        try {
            return call.apply(engine);
        } catch (RuntimeException e) {
            if (deadline.missed) {
                throw new SidecarUnavailableException(operation + " got no answer from sidecar " + incarnation
                        + " within " + timeout, e);
            }
            throw SidecarErrors.translate(operation, incarnation, e, process.isAlive() && !exited.isDone());
        } finally {
            inFlight.remove(deadline);
        }
    }

    /**
     * A call's time-out. Calls register theirs in {@link #inFlight} and one sweep per {@link #SWEEP} checks them,
     * rather than each call scheduling its own: scheduling woke the watchdog thread on every call, on the core
     * the sidecar was about to use.
     */
    private static final class Deadline {
        final String operation;
        final Duration timeout;
        final long atNanos;
        volatile boolean missed;

        Deadline(String operation, Duration timeout, long atNanos) {
            this.operation = operation;
            this.timeout = timeout;
            this.atNanos = atNanos;
        }
    }

    private void killIfACallIsOverdue() {
        long now = System.nanoTime();
        for (Deadline deadline : inFlight) {
            if (now - deadline.atNanos >= 0 && process.isAlive()) {
                deadline.missed = true;
                log.warn("{} got no answer from sidecar {} (pid {}) within {}; killing it", deadline.operation,
                        incarnation, process.pid(), deadline.timeout);
                process.destroyForcibly();
            }
        }
    }

    /** SIGKILL: for a sidecar that stopped answering. */
    void kill() {
        process.destroyForcibly();
    }

    /**
     * Closes stdin (Python exits on EOF), then SIGTERM, then SIGKILL, each after {@code grace}; then shuts the
     * gateway, which also closes the callback connections so no caller stays blocked on them.
     */
    void stop(Duration grace) {
        try {
            try {
                stdin.close();
            } catch (IOException e) {
                // Already closed: the process is gone or going.
            }
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroy();
                if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                    log.warn("sidecar {} (pid {}) ignored EOF and SIGTERM; killing it", incarnation, process.pid());
                    process.destroyForcibly();
                    process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            gateway.shutdown();
            payloads.close();
        }
    }

    /** For a process that is already gone: releases the gateway and the stdin pipe. */
    @Override
    public void close() {
        try {
            stdin.close();
        } catch (IOException e) {
            // The pipe broke with the process: nothing to release.
        }
        gateway.shutdown();
        payloads.close();
    }
}
