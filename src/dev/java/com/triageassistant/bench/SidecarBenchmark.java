package com.triageassistant.bench;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.triageassistant.ml.SidecarClient;
import com.triageassistant.ml.SidecarProperties;
import com.triageassistant.ml.SidecarStatus;
import com.triageassistant.ml.SidecarSupervisor;
import com.triageassistant.ml.TrainingOutcome;

/**
 * The Py4J bridge's cost on this machine: training every target (assignee, priority, labels, components) and
 * assignee predictions per second through {@link SidecarClient} against the same Python code in-process
 * ({@code python -m triage_ml.bench}, run as a subprocess before the bridged run, with the sidecar's one-thread
 * BLAS setting). Both sides use the same inputs: Python's synthetic generator writes the dataset and the predict
 * payloads ({@code --export}), Java sends exactly those bytes. Only the supervisor and client run here (no app,
 * no Ignite), so the figures are the bridge's.
 *
 * <p>Run: {@code ./mvnw -q -B -Pbench test-compile exec:exec -Dbench.main=com.triageassistant.bench.SidecarBenchmark
 * [-Dbench.args="1000 10000 50000"]} from the repository root (after a build has made {@code .venv} and
 * {@code target/py4j}).
 */
public final class SidecarBenchmark {

    private static final List<String> TARGETS = List.of("assignee", "priority", "labels", "components");
    private static final int[] BATCHES = {1, 100, 10_000};
    private static final int REPEATS = 5;
    private static final Duration WINDOW = Duration.ofSeconds(1);
    private static final String PYTHON = ".venv/bin/python";
    private static final ObjectMapper JSON = new ObjectMapper();

    private SidecarBenchmark() {
    }

    /** @param args project sizes in issues; default 1,000, 10,000 and 50,000 */
    public static void main(String[] args) throws Exception {
        int[] sizes = args.length == 0 ? new int[] {1_000, 10_000, 50_000}
                : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        System.out.printf("Sidecar benchmark: Java %s, %d cores; per size: `python -m triage_ml.bench --issues N"
                        + " --repeats %d` in-process (OMP/OpenBLAS/MKL threads 1, as the sidecar), then the same"
                        + " inputs through SidecarClient -> Py4J -> python -m triage_ml.sidecar. Training: every"
                        + " target once, hold-out evaluation and final fit, default options. Predictions: assignee,"
                        + " top 3, JSON in and out, median of %d windows of >= %d ms after a warm-up.%n",
                Runtime.version(), Runtime.getRuntime().availableProcessors(), REPEATS, REPEATS, WINDOW.toMillis());
        SidecarProperties properties = new SidecarProperties(true, PYTHON,
                List.of("python", "target/py4j/python/py4j-src-0.10.9.7.zip"), Duration.ofSeconds(60),
                Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofMinutes(2), Duration.ofMinutes(30),
                Duration.ofSeconds(3), Duration.ofSeconds(1), Duration.ofSeconds(10));
        SidecarSupervisor supervisor = new SidecarSupervisor(properties, JSON, Clock.systemUTC());
        SidecarClient client = new SidecarClient(supervisor, properties, JSON);
        supervisor.start();
        try {
            awaitUp(client);
            SidecarStatus status = client.status();
            System.out.printf("sidecar: pid %d, Python %s, scikit-learn %s, numpy %s%n", status.pid(),
                    status.versions().python(), status.versions().sklearn(), status.versions().numpy());
            for (int size : sizes) {
                run(client, size);
            }
        } finally {
            supervisor.stop();
        }
    }

    private static void run(SidecarClient client, int issues) throws Exception {
        Path dir = Files.createTempDirectory("sidecar-bench");
        JsonNode exported = python("--issues", String.valueOf(issues), "--export", dir.toString());
        JsonNode inProcess = python("--issues", String.valueOf(issues), "--repeats", String.valueOf(REPEATS));
        byte[] dataset = Files.readAllBytes(Path.of(exported.path("files").path("dataset").asText()));

        Map<String, Double> bridged = new LinkedHashMap<>();
        byte[] assignee = null;
        for (String target : TARGETS) {
            long t0 = System.nanoTime();
            TrainingOutcome outcome = client.train(target, dataset, "{}", null);
            bridged.put(target, (System.nanoTime() - t0) / 1e9);
            if (target.equals("assignee")) {
                assignee = outcome.artifact();
            }
        }
        double bridgedTotal = bridged.values().stream().mapToDouble(Double::doubleValue).sum();
        double pythonTotal = inProcess.path("train_total_seconds").asDouble();
        System.out.printf("%n== %,d issues (dataset %.1f MB JSON, assignee artifact %.1f MB) ==%n", issues,
                dataset.length / 1e6, assignee.length / 1e6);
        System.out.println("training (s)   in-process  bridged  bridged/in-process");
        for (String target : TARGETS) {
            double python = inProcess.path("train_seconds").path(target).asDouble();
            System.out.printf("  %-11s  %10.2f  %7.2f  %6.3f%n", target, python, bridged.get(target),
                    bridged.get(target) / python);
        }
        System.out.printf("  %-11s  %10.2f  %7.2f  %6.3f%n", "all four", pythonTotal, bridgedTotal,
                bridgedTotal / pythonTotal);

        byte[] artifact = assignee;
        Supplier<byte[]> model = () -> artifact;
        String modelId = "bench-assignee-" + issues;
        client.load(modelId, artifact);
        System.out.println("predictions/s  in-process  bridged  bridged/in-process");
        for (int batch : BATCHES) {
            byte[] payload = Files.readAllBytes(Path.of(exported.path("files").path(String.valueOf(batch)).asText()));
            double rate = medianRate(client, modelId, model, payload, batch);
            double python = inProcess.path("assignee_predictions_per_second").path(String.valueOf(batch)).asDouble();
            System.out.printf("  batch %-6d %10.0f  %7.0f  %6.3f%n", batch, python, rate, rate / python);
        }
        JsonNode health = client.health();
        System.out.printf("sidecar RSS (health()) after training all four and predicting with the assignee model:"
                + " %.0f MB, %d model(s) loaded%n", health.path("rss_bytes").asLong() / 1e6,
                health.path("models_loaded").asInt());
        client.unload(modelId);
    }

    private static double medianRate(SidecarClient client, String modelId, Supplier<byte[]> model, byte[] payload,
                                     int batch) {
        client.predict(modelId, model, payload, 3); // warm-up
        List<Double> rates = new ArrayList<>();
        for (int r = 0; r < REPEATS; r++) {
            long n = 0;
            long t0 = System.nanoTime();
            long elapsed;
            do {
                client.predict(modelId, model, payload, 3);
                n++;
                elapsed = System.nanoTime() - t0;
            } while (elapsed < WINDOW.toNanos());
            rates.add(n * batch / (elapsed / 1e9));
        }
        rates.sort(Double::compare);
        return rates.get(rates.size() / 2);
    }

    private static JsonNode python(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(PYTHON, "-m", "triage_ml.bench"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().put("PYTHONPATH", Path.of("python").toAbsolutePath().toString());
        // The sidecar runs with one BLAS/OpenMP thread (see triage_ml/sidecar.py); so must the comparison.
        for (String variable : List.of("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")) {
            builder.environment().put(variable, "1");
        }
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException("python " + String.join(" ", args) + " failed: " + out);
        }
        return JSON.readTree(out);
    }

    private static void awaitUp(SidecarClient client) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
                .until(client::status, SidecarStatus::isUp);
    }
}
