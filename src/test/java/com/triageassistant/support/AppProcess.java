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
    private final String maxHeap;
    private Process process;
    private int starts;

    public AppProcess(Path workDir, List<String> extraArguments) {
        this(workDir, FreePorts.next(), NodeSpec.single(workDir.resolve("ignite")), "512m", extraArguments);
    }

    /**
     * One instance of a cluster: its own HTTP port and Ignite identity ({@code node}, whose peers are the other
     * instances), the given heap.
     */
    public AppProcess(Path workDir, int httpPort, NodeSpec node, String maxHeap, List<String> extraArguments) {
        this.jar = Path.of(System.getProperty("triage.test.app-jar", "target/triage-assistant.jar")).toAbsolutePath();
        this.workDir = workDir;
        this.httpPort = httpPort;
        this.maxHeap = maxHeap;
        this.arguments = new ArrayList<>(List.of("--server.port=" + httpPort));
        node.properties().forEach((name, value) -> arguments.add("--" + name + "=" + value));
        this.arguments.addAll(extraArguments);
    }

    /**
     * Arguments that give an instance running in its own directory the repository's sidecar: the interpreter and
     * modules by absolute path (the defaults are relative to the repository).
     */
    public static List<String> repositorySidecar() {
        return List.of("--triage.ml.python=" + Path.of(".venv/bin/python").toAbsolutePath(),
                "--triage.ml.python-path=" + Path.of("python").toAbsolutePath() + ","
                        + Path.of("target/py4j/python/py4j-src-0.10.9.7.zip").toAbsolutePath());
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
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + maxHeap, "-jar", jar.toString()));
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

    /** The running JVM (e.g. to check that a process is its child). */
    public ProcessHandle handle() {
        return process.toHandle();
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
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
