package com.triageassistant.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
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

import com.triageassistant.support.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The jar a user deploys starts with plain {@code java -jar}: no JVM flags, Ignite's opens come from the manifest. */
class PackagedJarIT {

    @TempDir
    Path workDir;

    @Test
    void plainJavaJarStartsHealthyServesTheDescriptorAndStopsCleanly() throws Exception {
        Path jar = Path.of(System.getProperty("triage.test.app-jar", "target/triage-assistant.jar"));
        assertThat(jar).exists();
        int httpPort = FreePorts.next();
        int discoveryPort = FreePorts.next();
        Path log = workDir.resolve("app.log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-jar",
                jar.toAbsolutePath().toString(),
                "--server.port=" + httpPort,
                "--addon.base-url=https://triage.example.com",
                "--triage.ignite.consistent-id=packaged-jar-it",
                "--triage.ignite.work-dir=" + workDir.resolve("ignite"),
                "--triage.ignite.discovery-port=" + discoveryPort,
                "--triage.ignite.discovery-port-range=0",
                "--triage.ignite.discovery-addresses=127.0.0.1:" + discoveryPort,
                "--triage.ignite.communication-port=" + FreePorts.next(),
                "--triage.ignite.wal-segment-size=4MB",
                "--triage.ignite.wal-segments=2"));
        Process app = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            HttpResponse<String> health = awaitHealthy("http://127.0.0.1:" + httpPort, app, log);
            assertThat(health.body()).contains("\"status\":\"UP\"").contains("\"clusterState\":\"ACTIVE\"");

            HttpResponse<String> descriptor = get("http://127.0.0.1:" + httpPort + "/atlassian-connect.json");
            assertThat(descriptor.statusCode()).isEqualTo(200);
            assertThat(descriptor.body()).contains("\"baseUrl\": \"https://triage.example.com\"");

            app.destroy();
            assertThat(app.waitFor(60, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
            assertThat(Files.readString(log)).doesNotContain("InaccessibleObjectException")
                    .doesNotContain("generated security password");
        } finally {
            app.destroyForcibly();
        }
    }

    private static HttpResponse<String> awaitHealthy(String url, Process app, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!app.isAlive()) {
                throw new AssertionError("the app exited with " + app.exitValue() + ":\n" + Files.readString(log));
            }
            try {
                HttpResponse<String> health = get(url + "/actuator/health");
                if (health.statusCode() == 200) {
                    return health;
                }
            } catch (IOException notYetListening) {
                // still starting
            }
            Thread.sleep(500);
        }
        throw new AssertionError("not healthy within 120 s:\n" + Files.readString(log));
    }

    private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
