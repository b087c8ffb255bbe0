package com.triageassistant.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * With TDE on, the payload directory the sidecar shares with Java must hold no issue text or account id in clear,
 * although slots keep the last call's bytes: the real sidecar trains, predicts and explains through sealed
 * payloads and answers. Without it the same scan finds them, which shows the scan can see them.
 */
class SealedPayloadsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest(name = "sealed: {0}")
    @ValueSource(booleans = {true, false})
    void withTdeThePayloadDirectoryHoldsNoIssueTextOrAccountInClear(boolean sealed) throws Exception {
        SidecarProperties properties = new SidecarProperties(true, ".venv/bin/python",
                List.of("python", "target/py4j/python/py4j-src-0.10.9.7.zip"), Duration.ofSeconds(60),
                Duration.ofSeconds(5), Duration.ofSeconds(3), Duration.ofSeconds(30), Duration.ofMinutes(10),
                Duration.ofSeconds(3), Duration.ofMillis(200), Duration.ofSeconds(2), sealed);
        SidecarSupervisor supervisor = new SidecarSupervisor(properties, JSON, Clock.systemUTC());
        SidecarClient client = new SidecarClient(supervisor, properties, JSON,
                new SidecarMeters(supervisor, new SimpleMeterRegistry()));
        supervisor.start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(client::status, SidecarStatus::isUp);
            SyntheticIssues synthetic = new SyntheticIssues(7);
            TrainingOutcome trained = client.train("assignee", synthetic.bytes(synthetic.issues(300)), "{}", null);
            List<SyntheticIssues.Issue> fresh = synthetic.issues(20);
            byte[] issues = synthetic.bytes(fresh);
            JsonNode predicted = JSON.readTree(client.predict("m", trained::artifact, issues, 3));
            JsonNode explained = JSON.readTree(client.explain("m", trained::artifact, synthetic.bytes(fresh), 3, 5));
            assertThat(predicted.path("predictions")).hasSize(fresh.size());
            assertThat(explained.toString()).contains("acct-");

            String summary = fresh.get(fresh.size() - 1).node().path("summary").asText();
            String clear = payloadFiles();
            if (sealed) {
                assertThat(clear).doesNotContain(summary).doesNotContain("acct-");
            } else {
                assertThat(clear).contains(summary).contains("acct-");
            }
        } finally {
            supervisor.stop();
        }
    }

    /** Every file of this JVM's payload directories, as text. */
    private static String payloadFiles() throws IOException {
        String prefix = "triage-sidecar-" + ProcessHandle.current().pid() + "-";
        StringBuilder all = new StringBuilder();
        for (Path parent : List.of(Path.of("/dev/shm"), Path.of(System.getProperty("java.io.tmpdir")))) {
            if (!Files.isDirectory(parent)) {
                continue;
            }
            try (Stream<Path> dirs = Files.list(parent)) {
                for (Path dir : dirs.filter(d -> d.getFileName().toString().startsWith(prefix)).toList()) {
                    try (Stream<Path> files = Files.list(dir)) {
                        for (Path file : files.toList()) {
                            all.append(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
                        }
                    }
                }
            }
        }
        assertThat(all).as("payload files found").isNotEmpty();
        return all.toString();
    }
}
