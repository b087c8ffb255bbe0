package com.triageassistant.bench;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.triageassistant.ml.SidecarClient;
import com.triageassistant.ml.SidecarMeters;
import com.triageassistant.ml.SidecarProperties;
import com.triageassistant.ml.SidecarStatus;
import com.triageassistant.ml.SidecarSupervisor;
import com.triageassistant.ml.TrainingOutcome;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The Py4J bridge's cost on this machine: training every target (assignee, priority, labels, components) and
 * assignee predictions per second through {@link SidecarClient} against the same Python code in-process
 * ({@code python -m triage_ml.bench --serve}, a second Python process with the sidecar's one-thread BLAS setting
 * that runs single measurements on request). In-process and bridged measurements alternate (training: all four
 * targets in-process, then all four bridged, {@value #TRAIN_REPEATS} times, and each side's median is reported;
 * predictions: {@value #ROUNDS} rounds of one window per side, and a ratio is the median of the rounds' ratios):
 * the machine is shared, its load changes within seconds, and only measurements taken side by side compare.
 * Bridged predictions are measured with one caller, and with {@value #CALLERS}: the serving path's threads
 * ({@code triage.serving.threads}; the client sends one call at a time, so one caller writes its batch while
 * Python predicts the other's). Both sides use the same inputs: Python's synthetic generator writes the dataset and
 * the predict payloads ({@code --export}), Java sends exactly those bytes, and both predict with the artifact the
 * bridged training returned. Only the supervisor and client run here (no app, no Ignite), so the figures are the
 * bridge's.
 *
 * <p>Run: {@code ./mvnw -q -B -Pbench test-compile exec:exec -Dbench.main=com.triageassistant.bench.SidecarBenchmark
 * [-Dbench.args="1000 10000 50000"]} from the repository root (after a build has made {@code .venv} and
 * {@code target/py4j}).
 */
public final class SidecarBenchmark {

    private static final List<String> TARGETS = List.of("assignee", "priority", "labels", "components");
    private static final int[] BATCHES = {1, 100, 10_000};
    private static final int ROUNDS = 11;
    /** {@code triage.serving.threads}' default: the serving path keeps this many sidecar calls in flight. */
    private static final int CALLERS = 2;
    private static final int TRAIN_REPEATS = 3;
    private static final Duration WINDOW = Duration.ofSeconds(1);
    private static final String PYTHON = ".venv/bin/python";
    private static final ObjectMapper JSON = new ObjectMapper();

    private SidecarBenchmark() {
    }

    /** @param args project sizes in issues; default 1,000, 10,000 and 50,000 */
    public static void main(String[] args) throws Exception {
        int[] sizes = args.length == 0 ? new int[] {1_000, 10_000, 50_000}
                : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        System.out.printf("Sidecar benchmark: Java %s, %d cores, load average %s; per size: in-process ="
                        + " `python -m triage_ml.bench --serve` (OMP/OpenBLAS/MKL threads 1, as the sidecar),"
                        + " bridged = the same inputs through SidecarClient -> Py4J -> python -m triage_ml.sidecar,"
                        + " alternating. Training: every target, hold-out evaluation and final fit, default options,"
                        + " median of %d rounds. Predictions: assignee, top 3, JSON in and out, %d rounds of"
                        + " one window of >= %d ms per side after a warm-up.%n", Runtime.version(),
                Runtime.getRuntime().availableProcessors(), HostLoad.loadAverage(), TRAIN_REPEATS, ROUNDS,
                WINDOW.toMillis());
        SidecarProperties properties = new SidecarProperties(true, PYTHON,
                List.of("python", "target/py4j/python/py4j-src-0.10.9.7.zip"), Duration.ofSeconds(60),
                Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofMinutes(2), Duration.ofMinutes(30),
                Duration.ofSeconds(3), Duration.ofSeconds(1), Duration.ofSeconds(10), false);
        SidecarSupervisor supervisor = new SidecarSupervisor(properties, JSON, Clock.systemUTC());
        SidecarClient client = new SidecarClient(supervisor, properties, JSON,
                new SidecarMeters(supervisor, new SimpleMeterRegistry()));
        supervisor.start();
        try (InProcess inProcess = InProcess.start()) {
            awaitUp(client);
            SidecarStatus status = client.status();
            System.out.printf("sidecar: pid %d, Python %s, scikit-learn %s, numpy %s%n", status.pid(),
                    status.versions().python(), status.versions().sklearn(), status.versions().numpy());
            for (int size : sizes) {
                run(client, inProcess, size);
            }
        } finally {
            supervisor.stop();
        }
    }

    private static void run(SidecarClient client, InProcess inProcess, int issues) throws Exception {
        Path dir = Files.createTempDirectory("sidecar-bench");
        JsonNode exported = export(issues, dir);
        Path datasetFile = Path.of(exported.path("files").path("dataset").asText());
        byte[] dataset = Files.readAllBytes(datasetFile);

        Map<String, List<Double>> python = new LinkedHashMap<>();
        Map<String, List<Double>> bridged = new LinkedHashMap<>();
        byte[] assignee = null;
        for (int round = 0; round < TRAIN_REPEATS; round++) {
            for (String target : TARGETS) {
                JsonNode answer = inProcess.ask(Map.of("op", "train", "target", target, "dataset",
                        datasetFile.toString()));
                python.computeIfAbsent(target, t -> new ArrayList<>()).add(answer.path("seconds").asDouble());
            }
            for (String target : TARGETS) {
                long t0 = System.nanoTime();
                TrainingOutcome outcome = client.train(target, dataset, "{}", null);
                bridged.computeIfAbsent(target, t -> new ArrayList<>()).add((System.nanoTime() - t0) / 1e9);
                if (target.equals("assignee")) {
                    assignee = outcome.artifact();
                }
            }
        }
        System.out.printf("%n== %,d issues (dataset %.1f MB JSON, assignee artifact %.1f MB), load average %s ==%n",
                issues, dataset.length / 1e6, assignee.length / 1e6, HostLoad.loadAverage());
        System.out.println("training (s)   in-process  bridged  bridged/in-process");
        for (String target : TARGETS) {
            double p = median(python.get(target));
            double b = median(bridged.get(target));
            System.out.printf("  %-11s  %10.2f  %7.2f  %6.3f%n", target, p, b, b / p);
        }
        double pythonTotal = median(totals(python));
        double bridgedTotal = median(totals(bridged));
        System.out.printf("  %-11s  %10.2f  %7.2f  %6.3f   (per round: in-process %s, bridged %s)%n", "all four",
                pythonTotal, bridgedTotal, bridgedTotal / pythonTotal, seconds(totals(python)),
                seconds(totals(bridged)));

        byte[] artifact = assignee;
        Path artifactFile = dir.resolve("assignee.bin");
        Files.write(artifactFile, artifact);
        String modelId = "bench-assignee-" + issues;
        client.load(modelId, artifact);
        inProcess.ask(Map.of("op", "load", "model", modelId, "artifact", artifactFile.toString()));
        Supplier<byte[]> model = () -> artifact;
        System.out.printf("predictions/s  in-process  bridged, 1 caller  and %d callers (ratio to in-process: median of"
                + " the %d rounds' ratios [quartiles])%n", CALLERS, ROUNDS);
        for (int batch : BATCHES) {
            String payloadFile = exported.path("files").path(String.valueOf(batch)).asText();
            byte[] payload = Files.readAllBytes(Path.of(payloadFile));
            client.predict(modelId, model, payload, 3); // warm-up
            Map<String, Object> inProcessWindow = Map.of("op", "rate", "model", modelId, "payload", payloadFile,
                    "batch", batch, "seconds", WINDOW.toMillis() / 1e3);
            List<Window> sides = List.of(() -> inProcess.ask(inProcessWindow).path("rate").asDouble(),
                    () -> bridgedRate(client, modelId, model, payload, batch, 1),
                    () -> bridgedRate(client, modelId, model, payload, batch, CALLERS));
            double[][] rates = new double[sides.size()][ROUNDS];
            for (int round = 0; round < ROUNDS; round++) {
                // The order reverses every round, so a load that rises or falls within rounds favours no side.
                for (int i = 0; i < sides.size(); i++) {
                    int side = round % 2 == 0 ? i : sides.size() - 1 - i;
                    rates[side][round] = sides.get(side).rate();
                }
            }
            System.out.printf("  batch %-6d %10.0f  %s  %s%n", batch, median(rates[0]), versus(rates[1], rates[0]),
                    versus(rates[2], rates[0]));
        }
        JsonNode health = client.health();
        System.out.printf("sidecar RSS (health()) after training all four and predicting with the assignee model:"
                + " %.0f MB, %d model(s) loaded%n", health.path("rss_bytes").asLong() / 1e6,
                health.path("models_loaded").asInt());
        client.unload(modelId);
    }

    /** One measurement window: predictions per second. */
    private interface Window {
        double rate() throws Exception;
    }

    /** {@code bridged}'s median rate, and the median and quartiles of its ratio to {@code inProcess} per round. */
    private static String versus(double[] bridged, double[] inProcess) {
        double[] ratios = new double[bridged.length];
        for (int round = 0; round < bridged.length; round++) {
            ratios[round] = bridged[round] / inProcess[round];
        }
        Arrays.sort(ratios);
        int quarter = ratios.length / 4;
        return String.format("%7.0f %6.3f [%.3f-%.3f]", median(bridged), median(ratios), ratios[quarter],
                ratios[ratios.length - 1 - quarter]);
    }

    /** Predictions per second of {@code callers} threads each calling predict back to back for one window. */
    private static double bridgedRate(SidecarClient client, String modelId, Supplier<byte[]> model, byte[] payload,
                                      int batch, int callers) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(callers);
        try {
            long t0 = System.nanoTime();
            long end = t0 + WINDOW.toNanos();
            List<Future<Long>> calls = new ArrayList<>();
            for (int caller = 0; caller < callers; caller++) {
                calls.add(threads.submit(() -> {
                    long n = 0;
                    do {
                        client.predict(modelId, model, payload, 3);
                        n++;
                    } while (System.nanoTime() - end < 0);
                    return n;
                }));
            }
            long n = 0;
            for (Future<Long> call : calls) {
                n += call.get();
            }
            return n * batch / ((System.nanoTime() - t0) / 1e9);
        } finally {
            threads.shutdown();
        }
    }

    private static List<Double> totals(Map<String, List<Double>> byTarget) {
        List<Double> totals = new ArrayList<>();
        for (int round = 0; round < TRAIN_REPEATS; round++) {
            double sum = 0;
            for (List<Double> seconds : byTarget.values()) {
                sum += seconds.get(round);
            }
            totals.add(sum);
        }
        return totals;
    }

    private static double median(List<Double> values) {
        return median(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static String seconds(List<Double> values) {
        return values.stream().map(v -> String.format("%.2f", v)).toList().toString();
    }

    private static JsonNode export(int issues, Path dir) throws IOException, InterruptedException {
        Process process = python("--issues", String.valueOf(issues), "--export", dir.toString())
                .redirectOutput(ProcessBuilder.Redirect.PIPE).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException("python -m triage_ml.bench --export failed: " + out);
        }
        return JSON.readTree(out);
    }

    private static ProcessBuilder python(String... args) {
        List<String> command = new ArrayList<>(List.of(PYTHON, "-m", "triage_ml.bench"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().put("PYTHONPATH", Path.of("python").toAbsolutePath().toString());
        // The sidecar runs with one BLAS/OpenMP thread (see triage_ml/sidecar.py); so must the comparison.
        for (String variable : List.of("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")) {
            builder.environment().put(variable, "1");
        }
        return builder;
    }

    /** The in-process side: {@code python -m triage_ml.bench --serve}, one JSON command and answer per line. */
    private record InProcess(Process process, BufferedWriter in, BufferedReader out) implements AutoCloseable {

        static InProcess start() throws IOException {
            Process process = python("--serve").start();
            return new InProcess(process, new BufferedWriter(new OutputStreamWriter(process.getOutputStream(),
                    StandardCharsets.UTF_8)), new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8)));
        }

        JsonNode ask(Map<String, Object> command) throws IOException {
            in.write(JSON.writeValueAsString(command));
            in.newLine();
            in.flush();
            String answer = out.readLine();
            if (answer == null) {
                throw new IllegalStateException("the in-process Python exited (its stderr above says why)");
            }
            return JSON.readTree(answer);
        }

        @Override
        public void close() throws IOException {
            in.close();
            process.destroy();
        }
    }

    private static void awaitUp(SidecarClient client) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
                .until(client::status, SidecarStatus::isUp);
    }
}
