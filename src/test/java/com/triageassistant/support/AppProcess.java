package com.triageassistant.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The packaged jar as its own process, started the way a user starts it ({@code java -jar}, no JVM flags), with a
 * fixed identity so it can be killed and started again on the same data.
 */
public final class AppProcess implements AutoCloseable {

    private final Path jar;
    private final Path workDir;
    private final List<String> arguments;
    private final int httpPort;
    private Process process;
    private int starts;

    public AppProcess(Path workDir, List<String> extraArguments) {
        this.jar = Path.of(System.getProperty("triage.test.app-jar", "target/triage-assistant.jar")).toAbsolutePath();
        this.workDir = workDir;
        this.httpPort = FreePorts.next();
        int discoveryPort = FreePorts.next();
        this.arguments = new ArrayList<>(List.of(
                "--server.port=" + httpPort,
                "--triage.ignite.consistent-id=app-process-" + httpPort,
                "--triage.ignite.work-dir=" + workDir.resolve("ignite"),
                "--triage.ignite.discovery-port=" + discoveryPort,
                "--triage.ignite.discovery-port-range=0",
                "--triage.ignite.discovery-addresses=127.0.0.1:" + discoveryPort,
                "--triage.ignite.communication-port=" + FreePorts.next(),
                "--triage.ignite.wal-segment-size=4MB",
                "--triage.ignite.wal-segments=2"));
        this.arguments.addAll(extraArguments);
    }

    public String url() {
        return "http://localhost:" + httpPort;
    }

    public Path log() {
        return workDir.resolve("app-" + starts + ".log");
    }

    public AppProcess start() {
        starts++;
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-jar", jar.toString()));
        command.addAll(arguments);
        try {
            process = new ProcessBuilder(command).directory(workDir.toFile())
                    .redirectErrorStream(true).redirectOutput(log().toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        awaitHealthy();
        return this;
    }

    /** SIGKILL: no shutdown hooks, no flushing, as when the machine pulls the plug on the JVM. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM. @return whether it exited within the time */
    public boolean stop(Duration within) throws InterruptedException {
        process.destroy();
        return process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS);
    }

    public String logText() {
        try {
            return Files.readString(log());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url() + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private void awaitHealthy() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("the app exited with " + process.exitValue() + ":\n" + logText());
            }
            try {
                if (get("/actuator/health").statusCode() == 200) {
                    return;
                }
            } catch (IOException notYetListening) {
                // still starting
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("not healthy within 120 s:\n" + logText());
    }

    @Override
    public void close() {
        if (process != null) {
            process.destroyForcibly();
        }
    }
}
