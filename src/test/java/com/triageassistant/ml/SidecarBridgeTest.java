package com.triageassistant.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.triageassistant.support.AppInstance;
import com.triageassistant.support.NodeSpec;
import com.triageassistant.support.SidecarProcesses;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bridge against the real sidecar: real Python, real scikit-learn, over Py4J, in the whole app. One app (and
 * so one supervised sidecar) for the class; tests that kill the sidecar wait for its replacement first.
 */
class SidecarBridgeTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dataDir;

    static AppInstance app;
    static SidecarClient client;
    static SyntheticIssues synthetic;
    static List<SyntheticIssues.Issue> fresh;
    static TrainingOutcome trained;
    static final AtomicInteger artifactReads = new AtomicInteger();

    @BeforeAll
    static void start() {
        app = AppInstance.start(NodeSpec.single(dataDir), Map.of(
                "triage.ml.ping-interval", "300ms",
                "triage.ml.ping-timeout", "2s",
                "triage.ml.restart-backoff-initial", "200ms",
                "triage.ml.restart-backoff-max", "2s"));
        client = app.bean(SidecarClient.class);
        awaitUp();
        synthetic = new SyntheticIssues(42);
        List<SyntheticIssues.Issue> history = synthetic.issues(600);
        fresh = synthetic.issues(200);
        trained = client.train("assignee", synthetic.bytes(history), "{}", null);
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @BeforeEach
    void sidecarIsUp() {
        awaitUp();
    }

    static SidecarStatus awaitUp() {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(client::status, SidecarStatus::isUp);
    }

    static Supplier<byte[]> artifact() {
        return () -> {
            artifactReads.incrementAndGet();
            return trained.artifact();
        };
    }

    static JsonNode sidecarHealth() throws IOException {
        var response = app.get("/actuator/health", null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode health = JSON.readTree(response.body());
        assertThat(health.path("status").asText()).isEqualTo("UP");
        return health.path("components").path("sidecar");
    }

    @Test
    void startsAndHealthShowsItUpWithItsLibraryVersions() throws IOException {
        SidecarStatus status = client.status();
        assertThat(status.versions().sklearn()).matches("\\d+\\.\\d+(\\.\\d+)?");
        assertThat(status.rssBytes()).isPositive();

        JsonNode sidecar = sidecarHealth();

        assertThat(sidecar.path("status").asText()).isEqualTo("UP");
        assertThat(sidecar.path("details").path("state").asText()).isEqualTo("UP");
        assertThat(sidecar.path("details").path("sklearn").asText()).isEqualTo(status.versions().sklearn());
        assertThat(sidecar.path("details").path("pid").asLong()).isEqualTo(status.pid());
        assertThat(ProcessHandle.of(status.pid())).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());
    }

    @Test
    void trainsThroughTheBridgeAndPredictsAndExplainsThePlantedRule() throws IOException {
        assertThat(trained.trained()).as(trained.result().toString()).isTrue();
        assertThat(trained.result().path("target").asText("assignee")).isEqualTo("assignee");
        assertThat(trained.artifact()).isNotEmpty();

        JsonNode predictions = JSON.readTree(client.predict("assignee-1", artifact(),
                synthetic.unassignedBytes(fresh), 3)).path("predictions");

        assertThat(predictions).hasSize(fresh.size());
        int hits = 0;
        for (int i = 0; i < fresh.size(); i++) {
            if (predictions.get(i).get(0).path("value").asText().equals(fresh.get(i).owner())) {
                hits++;
            }
        }
        assertThat(hits).as("top-1 equal to the planted owner").isGreaterThanOrEqualTo(fresh.size() * 8 / 10);

        JsonNode explained = JSON.readTree(client.explain("assignee-1", artifact(),
                synthetic.unassignedBytes(fresh.subList(0, 5)), 2, 4)).path("predictions");
        assertThat(explained).hasSize(5);
        JsonNode because = explained.get(0).get(0).path("because");
        assertThat(because).isNotEmpty();
        assertThat(because.get(0).path("feature").asText()).isNotBlank();
    }

    @Test
    void aSidecarKilledWhileIdleIsRestartedWhileTheAppStaysHealthyAndGetsItsModelBack() throws IOException {
        byte[] issues = synthetic.unassignedBytes(fresh.subList(0, 3));
        client.predict("assignee-idle", artifact(), issues, 3);
        SidecarStatus before = client.status();
        int reads = artifactReads.get();

        ProcessHandle.of(before.pid()).orElseThrow().destroyForcibly(); // SIGKILL

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> sidecarHealth().path("details").path("state").asText(), "RESTARTING"::equals);
        JsonNode restarting = sidecarHealth();
        assertThat(restarting.path("status").asText()).isEqualTo("DEGRADED");
        assertThat(restarting.path("details").path("lastError").asText()).contains("exited");
        assertThatThrownBy(() -> client.predict("assignee-idle", artifact(), issues, 3))
                .isInstanceOf(SidecarUnavailableException.class);

        SidecarStatus after = awaitUp();
        assertThat(after.incarnation()).isGreaterThan(before.incarnation());
        assertThat(after.restarts()).isEqualTo(before.restarts() + 1);
        assertThat(after.pid()).isNotEqualTo(before.pid());
        JsonNode predictions = JSON.readTree(client.predict("assignee-idle", artifact(), issues, 3));
        assertThat(predictions.path("predictions")).hasSize(3);
        assertThat(artifactReads.get()).as("reloaded once into the new sidecar").isEqualTo(reads + 1);
    }

    @Test
    void aCallInFlightWhenTheSidecarDiesFailsPromptlyAndSucceedsWhenRetried() throws Exception {
        byte[] big = new SyntheticIssues(7).bytes(new SyntheticIssues(7).issues(20_000));
        SidecarStatus before = client.status();
        CompletableFuture<TrainingOutcome> training = CompletableFuture.supplyAsync(
                () -> client.train("labels", big, "{}", null));
        // Frozen while the call is under way (sent after a moment; a 20,000-issue training takes longer than
        // that), so it cannot finish before the kill however fast this machine trains.
        Thread.sleep(200);
        SidecarProcesses.freeze(before.pid());
        assertThat(training).isNotDone();

        long killed = System.nanoTime();
        ProcessHandle.of(before.pid()).orElseThrow().destroyForcibly();

        assertThatThrownBy(training::join).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(SidecarUnavailableException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - killed)).isLessThan(Duration.ofSeconds(5));

        awaitUp();
        byte[] small = synthetic.bytes(new SyntheticIssues(8).issues(300));
        assertThat(client.train("labels", small, "{}", null).result().path("status").asText()).isNotBlank();
    }

    @Test
    void aHungSidecarIsKilledAndReplaced() throws Exception {
        SidecarStatus before = client.status();

        SidecarProcesses.freeze(before.pid());

        SidecarStatus after = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(client::status, s -> s.isUp() && s.incarnation() > before.incarnation());
        assertThat(after.lastError()).contains("health ping not answered");
        await().atMost(Duration.ofSeconds(5)).until(() -> ProcessHandle.of(before.pid()).map(ProcessHandle::isAlive)
                .orElse(false), alive -> !alive);
        JsonNode predictions = JSON.readTree(client.predict("assignee-1", artifact(),
                synthetic.unassignedBytes(fresh.subList(0, 2)), 1));
        assertThat(predictions.path("predictions")).hasSize(2);
    }

    @Test
    void corruptArtifactsAreIncompatible() {
        byte[] corrupt = trained.artifact().clone();
        corrupt[corrupt.length / 2] ^= 0x5a;

        assertThatThrownBy(() -> client.load("corrupt", corrupt)).isInstanceOf(IncompatibleArtifactException.class)
                .hasMessageContaining("INCOMPATIBLE_ARTIFACT:").hasMessageNotContaining("Traceback");
        assertThatThrownBy(() -> client.load("garbage", "not a model".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IncompatibleArtifactException.class);
    }

    @Test
    void invalidInputIsRefusedAsSuch() {
        assertThatThrownBy(() -> client.predict("assignee-1", artifact(),
                "not json".getBytes(StandardCharsets.UTF_8), 3))
                .isInstanceOf(InvalidModelInputException.class).hasMessageContaining("INVALID_INPUT:");
        assertThatThrownBy(() -> client.train("reporter", synthetic.bytes(fresh), "{}", null))
                .isInstanceOf(InvalidModelInputException.class);
    }

    @Test
    void concurrentCallersEachGetTheAnswerToTheirOwnIssues() {
        // The client sends one prediction at a time (two at once only trade the GIL in Python); each caller must
        // still get its own issues' answer, and none may be left waiting.
        List<List<SyntheticIssues.Issue>> batches = List.of(fresh.subList(0, 3), fresh.subList(3, 10),
                fresh.subList(10, 11), fresh.subList(11, 30));
        List<CompletableFuture<Integer>> answers = new ArrayList<>();
        for (int caller = 0; caller < 8; caller++) {
            List<SyntheticIssues.Issue> issues = batches.get(caller % batches.size());
            boolean explain = caller % 2 == 1;
            answers.add(CompletableFuture.supplyAsync(() -> {
                int size = 0;
                for (int call = 0; call < 5; call++) {
                    byte[] bytes = synthetic.unassignedBytes(issues);
                    String answer = explain ? client.explain("assignee-1", artifact(), bytes, 2, 3)
                            : client.predict("assignee-1", artifact(), bytes, 3);
                    size = readTree(answer).path("predictions").size();
                }
                return size;
            }));
        }
        for (int caller = 0; caller < answers.size(); caller++) {
            assertThat(answers.get(caller).orTimeout(60, TimeUnit.SECONDS).join())
                    .isEqualTo(batches.get(caller % batches.size()).size());
        }
    }

    private static JsonNode readTree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void multiMegabytePayloadsCrossTheBridgeQuickly() throws IOException {
        List<SyntheticIssues.Issue> many = new SyntheticIssues(9).issues(10_000);
        byte[] batch = synthetic.unassignedBytes(many);
        byte[] padded = Arrays.copyOf(trained.artifact(), trained.artifact().length);
        assertThat(batch.length).isGreaterThan(2_000_000);
        client.load("assignee-big", padded);

        long t0 = System.nanoTime();
        JsonNode predictions = JSON.readTree(client.predict("assignee-big", artifact(), batch, 1));
        Duration took = Duration.ofNanos(System.nanoTime() - t0);

        assertThat(predictions.path("predictions")).hasSize(many.size());
        // Py4J's own byte[] decoding (~19 MB/s) alone would take longer than this for these bytes twice over.
        assertThat(took).as("%d bytes in, 10,000 predictions out", batch.length).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void anAnswerTooLargeForItsSlotComesBackWholeAndLeavesNoFile() throws IOException {
        byte[] issues = synthetic.unassignedBytes(fresh);
        assertThat(issues.length).as("the issues go in a slot").isLessThanOrEqualTo(PayloadExchange.SLOT_BYTES);

        String answer = client.explain("assignee-1", artifact(), issues, 3, 40);

        assertThat(answer.getBytes(StandardCharsets.UTF_8).length).as("the answer does not fit in the slot")
                .isGreaterThan(PayloadExchange.SLOT_BYTES);
        JsonNode predictions = JSON.readTree(answer).path("predictions");
        assertThat(predictions).hasSize(fresh.size());
        assertThat(predictions.get(fresh.size() - 1).get(0).path("because")).isNotEmpty();
        try (Stream<Path> exchanges = Files.list(Path.of("/dev/shm"))) {
            List<Path> ours = exchanges.filter(dir -> dir.getFileName().toString()
                    .startsWith("triage-sidecar-" + ProcessHandle.current().pid() + "-")).toList();
            assertThat(ours).isNotEmpty();
            for (Path dir : ours) {
                try (Stream<Path> files = Files.list(dir)) {
                    assertThat(files.map(file -> file.getFileName().toString()))
                            .as("files left in %s", dir).containsOnly(PayloadExchange.SLOTS_FILE);
                }
            }
        }
    }
}
