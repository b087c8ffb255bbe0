package com.triageassistant.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.triageassistant.ingest.IssueRecord;
import com.triageassistant.support.AdversarialText;
import com.triageassistant.support.AppInstance;
import com.triageassistant.support.NodeSpec;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The serving path's batching against the real sidecar, with models recorded in the app's registry: requests for
 * one model share sidecar calls and each gets its own issue's answer, a batch goes when it is full or its wait is
 * over, and models are never mixed in one call. Each test makes its own batcher (its own wait and size) on the
 * app's sidecar client and registry.
 */
class PredictionBatcherTest {

    private static final String TENANT = "batching-tenant";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dataDir;

    static AppInstance app;
    static SyntheticIssues synthetic;
    static List<SyntheticIssues.Issue> fresh;
    static PredictionBatcher.ModelRef owners;
    /** Trained on the same issues with every owner renamed {@code bcct-...}: its answers say which model gave them. */
    static PredictionBatcher.ModelRef renamedOwners;

    @BeforeAll
    static void start() {
        app = AppInstance.start(NodeSpec.single(dataDir), Map.of());
        await().atMost(Duration.ofSeconds(60)).until(() -> app.bean(SidecarClient.class).status().isUp());
        synthetic = new SyntheticIssues(7);
        byte[] history = synthetic.bytes(synthetic.issues(600));
        fresh = synthetic.issues(200);
        owners = activeModel("OWN", history);
        renamedOwners = activeModel("REN", new String(history, StandardCharsets.UTF_8).replace("acct-", "bcct-")
                .getBytes(StandardCharsets.UTF_8));
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    private static PredictionBatcher.ModelRef activeModel(String projectKey, byte[] dataset) {
        TrainingOutcome trained = app.bean(SidecarClient.class).train("assignee", dataset, "{}", null);
        assertThat(trained.trained()).as(trained.result().toString()).isTrue();
        ModelRegistry.ModelVersion version = app.bean(ModelRegistry.class).record(TENANT, projectKey, "assignee",
                new ModelRegistry.NewVersion(ModelRegistry.ACTIVE, trained.artifact(), "test", "test", "top1", 0.9,
                        null, 600, trained.result().toString()));
        return new PredictionBatcher.ModelRef(TENANT, projectKey, "assignee", version.version());
    }

    /** A batcher of the app's sidecar client and registry, with its own wait and size and its own meters. */
    private record Batcher(PredictionBatcher batcher, DistributionSummary sizes) implements AutoCloseable {

        static Batcher of(Duration maxWait, int maxSize) {
            return of(maxWait, maxSize, 2, Duration.ofSeconds(30));
        }

        static Batcher of(Duration maxWait, int maxSize, int threads, Duration shutdownGrace) {
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            PredictionBatcher batcher = new PredictionBatcher(app.bean(SidecarClient.class),
                    app.bean(ModelRegistry.class), new ServingProperties(maxWait, maxSize, threads,
                            ServingProperties.MIN_TOP_K, 4,
                    shutdownGrace), JSON, meters);
            return new Batcher(batcher, meters.get(PredictionBatcher.BATCH_SIZE).summary());
        }

        @Override
        public void close() throws InterruptedException {
            batcher.destroy();
        }
    }

    @Test
    void concurrentRequestsForOneModelShareFewSidecarCallsAndEachGetsItsOwnIssuesAnswer() throws Exception {
        try (Batcher batching = Batcher.of(Duration.ofMillis(50), 64)) {
            List<CompletableFuture<String>> answers = new ArrayList<>();
            for (SyntheticIssues.Issue issue : fresh) {
                answers.add(batching.batcher().explain(owners, unassigned(issue)));
            }

            int hits = 0;
            for (int i = 0; i < fresh.size(); i++) {
                JsonNode ranked = JSON.readTree(answers.get(i).get(30, TimeUnit.SECONDS));
                assertThat(ranked).hasSize(ServingProperties.MIN_TOP_K);
                assertThat(ranked.get(0).path("because")).isNotEmpty();
                if (ranked.get(0).path("value").asText().equals(fresh.get(i).owner())) {
                    hits++;
                }
            }
            // Answers handed to the wrong requests would agree with the planted owner about one time in six.
            assertThat(hits).as("top-1 equal to the request's own planted owner").isGreaterThanOrEqualTo(160);
            assertThat(batching.sizes().totalAmount()).isEqualTo(200);
            assertThat(batching.sizes().count()).as("sidecar calls for 200 requests in batches of up to 64")
                    .isBetween(4L, 8L);
            assertThat(batching.sizes().max()).isEqualTo(64);
        }
    }

    @Test
    void aLoneRequestGoesWhenItsWaitIsOverInACallOfItsOwn() throws Exception {
        try (Batcher batching = Batcher.of(Duration.ofMillis(20), 64)) {
            JsonNode ranked = JSON.readTree(batching.batcher().explain(owners, unassigned(fresh.get(0)))
                    .get(30, TimeUnit.SECONDS));

            assertThat(ranked.get(0).path("value").asText()).startsWith("acct-");
            assertThat(batching.sizes().count()).isEqualTo(1);
            assertThat(batching.sizes().totalAmount()).isEqualTo(1);
        }
    }

    @Test
    void aFullBatchGoesAtOnceWhileAnUnfilledOneWaitsForItsTime() throws Exception {
        try (Batcher batching = Batcher.of(Duration.ofMinutes(10), 8)) {
            List<CompletableFuture<String>> full = new ArrayList<>();
            for (SyntheticIssues.Issue issue : fresh.subList(0, 11)) {
                full.add(batching.batcher().explain(owners, unassigned(issue)));
            }

            // Nothing would answer the first eight for ten minutes if they waited for the timer.
            CompletableFuture.allOf(full.subList(0, 8).toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            assertThat(batching.sizes().count()).isEqualTo(1);
            assertThat(batching.sizes().totalAmount()).isEqualTo(8);
            assertThatThrownBy(() -> full.get(8).get(500, TimeUnit.MILLISECONDS))
                    .as("the ninth request waits for more, or for its ten minutes")
                    .isInstanceOf(TimeoutException.class);
        }
    }

    @Test
    void requestsForDifferentModelsAreNeverMixedInOneCall() throws Exception {
        try (Batcher batching = Batcher.of(Duration.ofSeconds(1), 256)) {
            List<CompletableFuture<String>> own = new ArrayList<>();
            List<CompletableFuture<String>> renamed = new ArrayList<>();
            for (SyntheticIssues.Issue issue : fresh.subList(0, 60)) {
                own.add(batching.batcher().explain(owners, unassigned(issue)));
                renamed.add(batching.batcher().explain(renamedOwners, unassigned(issue)));
            }

            for (int i = 0; i < own.size(); i++) {
                assertThat(JSON.readTree(own.get(i).get(30, TimeUnit.SECONDS))).allSatisfy(value ->
                        assertThat(value.path("value").asText()).startsWith("acct-"));
                assertThat(JSON.readTree(renamed.get(i).get(30, TimeUnit.SECONDS))).allSatisfy(value ->
                        assertThat(value.path("value").asText()).startsWith("bcct-"));
            }
            assertThat(batching.sizes().count()).as("one call per model").isEqualTo(2);
            assertThat(batching.sizes().max()).isEqualTo(60);
        }
    }

    @Test
    void aModelWithoutItsArtifactFailsItsOwnRequestsOnly() throws Exception {
        PredictionBatcher.ModelRef missing = new PredictionBatcher.ModelRef(TENANT, "OWN", "assignee", 99);
        try (Batcher batching = Batcher.of(Duration.ofMillis(20), 64)) {
            CompletableFuture<String> lost = batching.batcher().explain(missing, unassigned(fresh.get(1)));
            CompletableFuture<String> served = batching.batcher().explain(owners, unassigned(fresh.get(1)));

            assertThatThrownBy(() -> lost.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(IncompatibleArtifactException.class);
            assertThat(JSON.readTree(served.get(30, TimeUnit.SECONDS)).get(0).path("value").asText())
                    .startsWith("acct-");
        }
    }

    @Test
    void shutdownAnswersTheRequestsAlreadyMadeAndRefusesNewOnes() throws Exception {
        Batcher batching = Batcher.of(Duration.ofMinutes(10), 256);
        List<CompletableFuture<String>> asked = new ArrayList<>();
        for (SyntheticIssues.Issue issue : fresh.subList(0, 20)) {
            asked.add(batching.batcher().explain(owners, unassigned(issue)));
        }

        batching.close();

        // Without the shutdown's flush they would have waited ten minutes, and then for a timer that is gone.
        for (CompletableFuture<String> answer : asked) {
            assertThat(answer).isCompleted();
            assertThat(JSON.readTree(answer.get()).get(0).path("value").asText()).startsWith("acct-");
        }
        assertThat(batching.sizes().count()).isEqualTo(1);
        assertThatThrownBy(() -> batching.batcher().explain(owners, unassigned(fresh.get(0))).get(1, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(SidecarUnavailableException.class)
                .hasMessageContaining("shutting down");
    }

    @Test
    void batchesStillQueuedWhenTheShutdownGraceEndsFailInsteadOfHanging() throws Exception {
        Batcher batching = Batcher.of(Duration.ofMinutes(10), 256, 1, Duration.ZERO);
        CompletableFuture<String> first = batching.batcher().explain(owners, unassigned(fresh.get(0)));
        CompletableFuture<String> second = batching.batcher().explain(renamedOwners, unassigned(fresh.get(0)));

        batching.close();

        // One serving thread: at most one of the two calls started before the grace (none) was over.
        await().atMost(Duration.ofSeconds(30)).until(() -> first.isDone() && second.isDone());
        List<CompletableFuture<String>> failed = List.of(first, second).stream()
                .filter(CompletableFuture::isCompletedExceptionally).toList();
        assertThat(failed).isNotEmpty();
        for (CompletableFuture<String> lost : failed) {
            assertThatThrownBy(lost::get).hasCauseInstanceOf(SidecarUnavailableException.class)
                    .hasMessageContaining("stopped before the sidecar was asked");
        }
    }

    @Test
    void eachIssueGetsItsOwnPartOfTheAnswerAsItsText() throws Exception {
        String first = "[{\"value\":\"acct-\\u00e9\",\"p\":0.5,\"because\":[{\"feature\":\"word:]\",\"weight\":1e-05}]}]";
        String answer = "{\"model\":{\"predictions\":[[1]]},\"predictions\":[" + first + ", [] ,[{\"value\":\"x\"}]]}";

        List<String> ranked = PredictionBatcher.rankedLists(answer, JSON.getFactory());

        assertThat(ranked).containsExactly(first, "[]", "[{\"value\":\"x\"}]");
        assertThat(JSON.readTree(ranked.get(0))).isEqualTo(JSON.readTree(answer).path("predictions").get(0));
        for (String bad : List.of("[]", "{\"predictions\":[[],{}]}", "{\"predictions\":[[], null]}",
                "{\"other\":[]}", "{\"predictions\":{}}", "{\"predictions\":[[1,]]}", "{\"predictions\":[[]")) {
            assertThatThrownBy(() -> PredictionBatcher.rankedLists(bad, JSON.getFactory())).as(bad)
                    .isInstanceOf(IOException.class);
        }
    }

    @Test
    void adversarialTextInABatchChangesNoOtherIssuesAnswerAndEachIssueGetsWhatItGetsAlone() throws Exception {
        AdversarialText random = new AdversarialText(51);
        List<IssueRecord> ordinary = fresh.subList(0, 30).stream().map(PredictionBatcherTest::unassigned).toList();
        List<IssueRecord> adversarial = new ArrayList<>();
        adversarial.add(issue(0, "\u0000", "\u0000", "Bug", "Billing"));
        adversarial.add(issue(1, "invoice\u0000payment", "\u0000refund\u0000", "Bug", "Billing"));
        adversarial.add(issue(2, "x\uD800", "\uDFFFpassword \uD83D\uDCA5 session", "\uD800", "\u0000"));
        for (int i = 3; i < 40; i++) {
            adversarial.add(issue(i, random.field(), random.text(12) + " " + random.field(),
                    random.pick(List.of("Bug", "Task", "\u0000", "\uFFFF")),
                    random.pick(List.of("Billing", "Login", "\u202ELogin", "\uD83D\uDCA5"))));
        }
        List<IssueRecord> mixed = new ArrayList<>();
        for (int i = 0; i < adversarial.size(); i++) {
            mixed.add(adversarial.get(i));
            if (i < ordinary.size()) {
                mixed.add(ordinary.get(i));
            }
        }

        List<String> together = explainAll(Duration.ofSeconds(1), 256, mixed);
        List<String> ordinaryOnly = explainAll(Duration.ofSeconds(1), 256, ordinary);
        List<String> alone = explainAll(Duration.ofMillis(1), 1, mixed);

        assertThat(together).isEqualTo(alone);
        assertThat(ordinary.stream().map(issue -> together.get(mixed.indexOf(issue))).toList())
                .isEqualTo(ordinaryOnly);
        // The answers say something (the equalities above would hold for empty ones too).
        assertThat(ordinaryOnly).allSatisfy(answer -> assertThat(JSON.readTree(answer)).hasSizeGreaterThanOrEqualTo(3));
        assertThat(together.get(mixed.indexOf(adversarial.get(1)))).contains("acct-");
    }

    /** Each issue's answer from one batcher of that wait and size, in the issues' order. */
    private static List<String> explainAll(Duration maxWait, int maxSize, List<IssueRecord> issues) throws Exception {
        try (Batcher batching = Batcher.of(maxWait, maxSize)) {
            List<CompletableFuture<String>> answers = new ArrayList<>();
            for (IssueRecord issue : issues) {
                answers.add(batching.batcher().explain(owners, issue));
            }
            List<String> out = new ArrayList<>();
            for (CompletableFuture<String> answer : answers) {
                out.add(answer.get(60, TimeUnit.SECONDS));
            }
            assertThat(batching.sizes().max()).isEqualTo(Math.min(maxSize, issues.size()));
            return out;
        }
    }

    private static IssueRecord issue(int n, String summary, String text, String type, String component) {
        Instant at = Instant.ofEpochMilli(1_700_000_000_000L + n);
        return new IssueRecord(60_000 + n, "ADV-" + n, "OWN", summary, text, type, List.of(component), List.of(),
                null, null, "rep-" + n % 3, at, at);
    }

    /** The issue as the store holds it, before anyone assigned it. */
    private static IssueRecord unassigned(SyntheticIssues.Issue issue) {
        JsonNode node = issue.node();
        List<String> components = new ArrayList<>();
        node.path("components").forEach(component -> components.add(component.asText()));
        Instant created = Instant.ofEpochMilli(node.path("created").asLong());
        return new IssueRecord(node.path("id").asLong(), node.path("key").asText(), "OWN",
                node.path("summary").asText(), node.path("text").asText(), node.path("type").asText(), components,
                List.of(), null, null, node.path("reporter").asText(), created, created);
    }
}
