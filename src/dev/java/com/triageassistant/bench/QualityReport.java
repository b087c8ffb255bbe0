package com.triageassistant.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.triageassistant.jira.emulator.ExportJsonl;
import com.triageassistant.jira.generator.GeneratedIssue;
import com.triageassistant.jira.generator.GeneratorConfig;
import com.triageassistant.jira.generator.GroundTruth;
import com.triageassistant.jira.generator.ProjectGenerator;

/**
 * Model quality on the generator's projects next to the majority baseline and the best score the generator's
 * noise allows. Per project: the project is exported as Jira's {@code search/jql} JSON Lines by the emulator
 * ({@link ExportJsonl}), {@code bin/evaluate FILE --json --details} trains on the oldest 80% with exactly the
 * production pipeline and scores the newest 20%, and {@link OracleScores} computes, on the same hold-out issues,
 * what an oracle that knows every issue's hidden state scores. A report, not a test: it prints figures.
 *
 * <p>Run: {@code ./mvnw -q -B -Pbench test-compile exec:exec -Dbench.main=com.triageassistant.bench.QualityReport
 * [-Dbench.args="ISSUES:SEED:NOISE ..."]} from the repository root after the set-up (it needs {@code .venv}).
 */
public final class QualityReport {

    /** Sizes, seeds (hence shapes: components, teams, people) and noise levels; 40 people each (ExportJsonl's). */
    private static final List<String> DEFAULT_PROJECTS = List.of("3000:7:0.1", "10000:7:0.1", "10000:11:0.2",
            "20000:23:0.05");
    /** The production pipeline's hold-out share and label precision target (triage_ml.options defaults). */
    private static final double HOLDOUT = 0.2;
    private static final double PRECISION_TARGET = 0.7;
    private static final ObjectMapper JSON = new ObjectMapper();

    private QualityReport() {
    }

    public static void main(String[] args) throws Exception {
        List<String> projects = args.length == 0 ? DEFAULT_PROJECTS : List.of(args);
        System.out.printf("Quality report: per project ISSUES:SEED:NOISE, `bin/evaluate FILE --json --details` on the"
                + " emulator's JSON Lines export (train: oldest 80%% by created, test: newest 20%%). bound = the"
                + " generator oracle's expected score on the same test issues (see OracleScores), oracle = what it"
                + " scored on their actual values. %d cores, load average %s.%n",
                Runtime.getRuntime().availableProcessors(), HostLoad.loadAverage());
        for (String spec : projects) {
            String[] part = spec.split(":");
            report(Integer.parseInt(part[0]), Long.parseLong(part[1]), Double.parseDouble(part[2]));
        }
    }

    private static void report(int issueCount, long seed, double noise) throws Exception {
        Path file = Files.createTempFile("quality-" + issueCount + "-" + seed, ".jsonl");
        ExportJsonl.main(new String[] {file.toString(), String.valueOf(issueCount), String.valueOf(seed),
                String.valueOf(noise)});
        // The same config ExportJsonl generates from; checked issue by issue below so the two cannot drift apart.
        GeneratorConfig config = GeneratorConfig.defaults(seed, "GEN").withIssueCount(issueCount).withNoise(noise);
        GroundTruth truth = new ProjectGenerator(config).generateWithGroundTruth();
        checkExportMatches(file, truth.project().issues());
        JsonNode evaluation = evaluate(file);
        Files.delete(file);

        List<GeneratedIssue> issues = truth.project().issues();
        OracleScores oracle = new OracleScores(truth);
        JsonNode details = evaluation.path("details");
        System.out.printf("%n== %,d issues, seed %d, noise %.2f, %d people: bin/evaluate trained and evaluated all"
                        + " four targets in %.1f s ==%n", issueCount, seed, noise, config.people(),
                evaluation.path("train_seconds").asDouble());
        System.out.println("target      metric                    model  majority  bound  oracle  n_train  n_test"
                + "  seconds");
        List<Integer> assignee = holdout(issues, i -> i.assignee() != null, details.path("assignee"));
        row("assignee", "top3", details.path("assignee"), "top3", oracle.assigneeTopK(assignee, 3));
        row("", "top1", details.path("assignee"), "top1", oracle.assigneeTopK(assignee, 1));
        List<Integer> priority = holdout(issues, i -> i.priority() != null, details.path("priority"));
        row("priority", "macro_f1", details.path("priority"), "macro_f1", oracle.priorityMacroF1(priority));
        row("", "accuracy", details.path("priority"), "accuracy", oracle.priorityAccuracy(priority));
        List<Integer> labels = holdout(issues, i -> true, details.path("labels"));
        row("labels", "micro_f1", details.path("labels"), "micro_f1", oracle.labelsMicroF1(labels, 0));
        row("", "micro_f1, precision>=0.7", details.path("labels"), "micro_f1",
                oracle.labelsMicroF1(labels, PRECISION_TARGET));
        System.out.printf("  (labels: model precision %.3f, recall %.3f, %d values suggestable)%n",
                details.path("labels").path("holdout").path("precision").asDouble(),
                details.path("labels").path("holdout").path("recall").asDouble(),
                details.path("labels").path("holdout").path("suggestable_values").asInt());
        List<Integer> components = holdout(issues, i -> true, details.path("components"));
        row("components", "micro_f1", details.path("components"), "micro_f1", oracle.componentsMicroF1(components));
    }

    /**
     * The target's test issues exactly as the pipeline picks them: the project's newest {@code round(n * 0.2)}
     * issues (generated issues are in strictly increasing creation order; Python's round half to even), those
     * the target scores.
     */
    private static List<Integer> holdout(List<GeneratedIssue> issues, Predicate<GeneratedIssue> scored,
                                         JsonNode result) {
        int train = (int) Math.rint(issues.size() * (1.0 - HOLDOUT));
        train = Math.min(Math.max(train, 1), issues.size() - 1);
        List<Integer> test = new ArrayList<>();
        for (int i = train; i < issues.size(); i++) {
            if (scored.test(issues.get(i))) {
                test.add(i);
            }
        }
        if (test.size() != result.path("n_test").asInt()) {
            throw new IllegalStateException("hold-out of " + result.path("target").asText() + ": " + test.size()
                    + " issues here, " + result.path("n_test").asInt() + " in the pipeline");
        }
        return test;
    }

    private static void row(String target, String metric, JsonNode result, String key, OracleScores.Score bound) {
        JsonNode holdout = result.path("holdout");
        System.out.printf("%-11s %-24s %6.3f  %8.3f  %5.3f  %6.3f  %7s  %6s  %7s%n", target, metric,
                holdout.path(key).asDouble(), holdout.path("baseline_majority").path(key).asDouble(),
                bound.expected(), bound.realized(), target.isEmpty() ? "" : result.path("n_train").asText(),
                target.isEmpty() ? "" : result.path("n_test").asText(),
                target.isEmpty() ? "" : String.format("%.1f", result.path("timings").path("total_seconds").asDouble()));
    }

    private static void checkExportMatches(Path file, List<GeneratedIssue> issues) throws IOException {
        Map<String, GeneratedIssue> byKey = new HashMap<>();
        for (GeneratedIssue issue : issues) {
            byKey.put(issue.key(), issue);
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.size() != issues.size()) {
            throw new IllegalStateException("export has " + lines.size() + " issues, the generator " + issues.size());
        }
        for (String line : lines) {
            JsonNode issue = JSON.readTree(line);
            GeneratedIssue generated = byKey.get(issue.path("key").asText());
            JsonNode fields = issue.path("fields");
            String assignee = fields.path("assignee").path("accountId").asText(null);
            if (generated == null || !Objects.equals(assignee, generated.assignee())
                    || !fields.path("priority").path("name").asText().equals(generated.priority())
                    || fields.path("labels").size() != generated.labels().size()) {
                throw new IllegalStateException("the export differs from the generated project at "
                        + issue.path("key").asText());
            }
        }
    }

    private static JsonNode evaluate(Path file) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("bin/evaluate", file.toString(), "--json", "--details")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException("bin/evaluate failed: " + out);
        }
        return JSON.readTree(out);
    }
}
