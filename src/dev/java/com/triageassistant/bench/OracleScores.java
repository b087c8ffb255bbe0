package com.triageassistant.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.triageassistant.jira.generator.GeneratedIssue;
import com.triageassistant.jira.generator.GroundTruth;
import com.triageassistant.jira.generator.IssueTruth;

/**
 * What the best possible predictor scores on a set of hold-out issues of a generated project, for the metrics the
 * models are judged by. The predictor is the generator's oracle: it knows every issue's hidden state, hence the
 * exact probability of every value under the generator's pattern-plus-noise mixture, and nothing else.
 *
 * <p>{@link GroundTruth} gives expected accuracies (assignee top-k, priority accuracy), which are per-issue
 * expectations. F1 scores are not: the best decisions for macro-F1 or micro-F1 are not the argmax. Here:
 * <ul>
 * <li><b>Labels / components micro-F1</b>: suggesting value l for issue i earns expected TP p_il and expected FP
 * 1 - p_il; with E[positives] = sum of all p_il, F1 = 2 E[TP] / (#suggested + E[positives]). It is maximised by
 * suggesting every pair above one threshold on p (Lipton et al. 2014, "Thresholding classifiers to maximize F1"),
 * found by sweeping the pairs in decreasing p. The product also requires each value to reach a precision target on
 * its own; the oracle under that rule suggests, per value, the longest prefix (by decreasing p) whose expected
 * precision reaches the target, exactly as the production thresholds are chosen.</li>
 * <li><b>Priority macro-F1</b>: the optimal rule is the argmax of class-weighted posteriors (Narasimhan et al.
 * 2015); the weights are found by coordinate ascent on the expected macro-F1 (expected confusion counts), so the
 * figure is the best this search finds: a lower estimate of the true optimum, tight in practice.</li>
 * </ul>
 * Every figure is a ratio of expected counts over the given issues (the F1 of expected counts; for a thousand
 * issues and more this is the expected F1 to well under a point), and {@code realized} applies the same oracle
 * decisions to the values the issues actually got, which carries the hold-out's own sampling noise as the model's
 * score does.
 *
 * <p>Posteriors, with ε the noise share ({@code GENERATOR.md}): priority {@code (1-ε) P_i(k) + ε π(k)}; a label
 * {@code (1-ε) q_il + ε Σ_c card(c) min(c, m_i) / m_i} over the m_i labels in use, divided by the chance that the
 * issue has any label at all ({@code (1-ε)(1 - Π(1-q_il)) + ε (1 - card(0))}), because label models are trained and
 * scored only on labelled issues; components: the topic component is always in a non-empty components field, a
 * second one in 8 of the 86% of non-empty draws (spread over the topic's team; each other component's posterior
 * stays below 0.03, far under any useful threshold). Components carry no noise.
 */
final class OracleScores {

    /** Oracle figure: its expectation over the issues' randomness, and what it scored on the actual values. */
    record Score(double expected, double realized) {
    }

    /** The components field's documented shares: [topic] 78%, [topic, other] 8%, empty 14%. */
    private static final double TWO_COMPONENTS = 0.08;
    private static final double ANY_COMPONENT = 0.86;

    private final GroundTruth truth;
    private final List<GeneratedIssue> issues;

    OracleScores(GroundTruth truth) {
        this.truth = truth;
        this.issues = truth.project().issues();
    }

    /** Assignee among the oracle's top k. */
    Score assigneeTopK(List<Integer> rows, int k) {
        double expected = 0;
        double hits = 0;
        for (int i : rows) {
            expected += truth.assigneeTopKSuccess(i, k);
            hits += truth.oracleAssignees(i, k).contains(issues.get(i).assignee()) ? 1 : 0;
        }
        return new Score(expected / rows.size(), hits / rows.size());
    }

    Score priorityAccuracy(List<Integer> rows) {
        double expected = 0;
        double hits = 0;
        for (int i : rows) {
            expected += truth.prioritySuccess(i);
            hits += truth.oraclePriority(i).equals(issues.get(i).priority()) ? 1 : 0;
        }
        return new Score(expected / rows.size(), hits / rows.size());
    }

    Score priorityMacroF1(List<Integer> rows) {
        List<String> names = truth.project().priorities();
        int classes = names.size();
        double[][] posterior = new double[rows.size()][classes];
        List<Double> prior = GroundTruth.priorityNoisePrior();
        double noise = truth.noise();
        for (int r = 0; r < rows.size(); r++) {
            List<Double> pattern = truth.issues().get(rows.get(r)).priorityProbabilities();
            for (int k = 0; k < classes; k++) {
                posterior[r][k] = (1 - noise) * pattern.get(k) + noise * prior.get(k);
            }
        }
        double[] logWeight = bestClassWeights(posterior);
        int[] decision = decide(posterior, logWeight);
        String[] actual = rows.stream().map(i -> issues.get(i).priority()).toArray(String[]::new);
        String[] predicted = new String[rows.size()];
        for (int r = 0; r < rows.size(); r++) {
            predicted[r] = names.get(decision[r]);
        }
        return new Score(expectedMacroF1(posterior, decision), realizedMacroF1(actual, predicted));
    }

    /** Micro-F1 of labels over labelled issues: unconstrained, or with every value held to {@code precision}. */
    Score labelsMicroF1(List<Integer> rows, double precisionTarget) {
        List<Pair> pairs = new ArrayList<>();
        double noise = truth.noise();
        List<Double> cardinality = GroundTruth.labelNoiseCardinality();
        for (int i : rows) {
            IssueTruth t = truth.issues().get(i);
            int inUse = t.labelsInUse().size();
            double noiseEach = 0;
            for (int c = 0; c < cardinality.size() && inUse > 0; c++) {
                noiseEach += cardinality.get(c) * Math.min(c, inUse) / inUse;
            }
            double none = 1;
            for (double q : t.labelProbabilities().values()) {
                none *= 1 - q;
            }
            double any = (1 - noise) * (1 - none) + (inUse > 0 ? noise * (1 - cardinality.get(0)) : 0);
            Set<String> values = new HashSet<>(t.labelsInUse());
            values.addAll(t.labelProbabilities().keySet());
            for (String label : values) {
                double p = (1 - noise) * t.labelProbabilities().getOrDefault(label, 0.0)
                        + (t.labelsInUse().contains(label) ? noise * noiseEach : 0);
                if (p > 0) {
                    pairs.add(new Pair(i, label, p / any));
                }
            }
        }
        return microF1(rows, pairs, precisionTarget, i -> issues.get(i).labels());
    }

    /** Micro-F1 of components over issues with a non-empty components field. */
    Score componentsMicroF1(List<Integer> rows) {
        List<Pair> pairs = new ArrayList<>();
        for (int i : rows) {
            pairs.add(new Pair(i, truth.issues().get(i).topicComponent(), 1.0));
        }
        // The second component: never worth suggesting (posterior < 0.03), but it is a positive the oracle misses.
        double missed = rows.size() * TWO_COMPONENTS / ANY_COMPONENT;
        Score topicOnly = microF1(rows, pairs, 0, i -> issues.get(i).components());
        double expected = 2.0 * rows.size() / (2.0 * rows.size() + missed);
        return new Score(expected, topicOnly.realized());
    }

    // ---- micro-F1 over (issue, value) pairs ----

    private record Pair(int issue, String value, double p) {
    }

    private interface Values {
        List<String> of(int issue);
    }

    private static Score microF1(List<Integer> rows, List<Pair> pairs, double precisionTarget, Values actual) {
        List<Pair> chosen = precisionTarget > 0 ? perValuePrecision(pairs, precisionTarget) : bestPrefix(pairs);
        double positives = pairs.stream().mapToDouble(Pair::p).sum();
        double expectedTp = chosen.stream().mapToDouble(Pair::p).sum();
        double expected = chosen.isEmpty() ? 0 : 2 * expectedTp / (chosen.size() + positives);
        Map<Integer, Set<String>> suggested = new LinkedHashMap<>();
        for (Pair pair : chosen) {
            suggested.computeIfAbsent(pair.issue(), k -> new HashSet<>()).add(pair.value());
        }
        long tp = 0;
        long truthCount = 0;
        for (int i : rows) {
            List<String> values = actual.of(i);
            truthCount += values.size();
            for (String v : suggested.getOrDefault(i, Set.of())) {
                tp += values.contains(v) ? 1 : 0;
            }
        }
        double realized = chosen.size() + truthCount == 0 ? 0 : 2.0 * tp / (chosen.size() + truthCount);
        return new Score(expected, realized);
    }

    private static List<Pair> bestPrefix(List<Pair> pairs) {
        List<Pair> sorted = new ArrayList<>(pairs);
        sorted.sort(Comparator.comparingDouble(Pair::p).reversed());
        double positives = sorted.stream().mapToDouble(Pair::p).sum();
        double tp = 0;
        double best = 0;
        int bestLength = 0;
        for (int n = 1; n <= sorted.size(); n++) {
            tp += sorted.get(n - 1).p();
            double f1 = 2 * tp / (n + positives);
            if (f1 > best) {
                best = f1;
                bestLength = n;
            }
        }
        return sorted.subList(0, bestLength);
    }

    /** Per value: the lowest threshold whose expected precision over the pairs above it reaches the target. */
    private static List<Pair> perValuePrecision(List<Pair> pairs, double target) {
        Map<String, List<Pair>> byValue = new LinkedHashMap<>();
        for (Pair pair : pairs) {
            byValue.computeIfAbsent(pair.value(), k -> new ArrayList<>()).add(pair);
        }
        List<Pair> chosen = new ArrayList<>();
        for (List<Pair> values : byValue.values()) {
            values.sort(Comparator.comparingDouble(Pair::p).reversed());
            double tp = 0;
            int longest = 0;
            for (int n = 1; n <= values.size(); n++) {
                tp += values.get(n - 1).p();
                if (tp / n >= target) {
                    longest = n;
                }
            }
            chosen.addAll(values.subList(0, longest));
        }
        return chosen;
    }

    // ---- macro-F1 over classes ----

    private static double[] bestClassWeights(double[][] posterior) {
        int classes = posterior[0].length;
        double[] logWeight = new double[classes];
        double best = expectedMacroF1(posterior, decide(posterior, logWeight));
        for (int round = 0; round < 4; round++) {
            for (int k = 0; k < classes; k++) {
                double keep = logWeight[k];
                for (double w = -4; w <= 4.0001; w += 0.05) {
                    logWeight[k] = w;
                    double f1 = expectedMacroF1(posterior, decide(posterior, logWeight));
                    if (f1 > best + 1e-12) {
                        best = f1;
                        keep = w;
                    }
                }
                logWeight[k] = keep;
            }
        }
        return logWeight;
    }

    private static int[] decide(double[][] posterior, double[] logWeight) {
        int[] decision = new int[posterior.length];
        for (int r = 0; r < posterior.length; r++) {
            double best = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < logWeight.length; k++) {
                double score = Math.log(Math.max(posterior[r][k], 1e-300)) + logWeight[k];
                if (score > best) {
                    best = score;
                    decision[r] = k;
                }
            }
        }
        return decision;
    }

    /** Mean over classes of 2 E[TP] / (#predicted + E[positives]), classes with any expected mass or prediction. */
    private static double expectedMacroF1(double[][] posterior, int[] decision) {
        int classes = posterior[0].length;
        double[] tp = new double[classes];
        double[] predicted = new double[classes];
        double[] positives = new double[classes];
        for (int r = 0; r < posterior.length; r++) {
            tp[decision[r]] += posterior[r][decision[r]];
            predicted[decision[r]]++;
            for (int k = 0; k < classes; k++) {
                positives[k] += posterior[r][k];
            }
        }
        double sum = 0;
        int counted = 0;
        for (int k = 0; k < classes; k++) {
            if (predicted[k] + positives[k] > 1e-9) {
                sum += 2 * tp[k] / (predicted[k] + positives[k]);
                counted++;
            }
        }
        return counted == 0 ? 0 : sum / counted;
    }

    /** As {@code triage_ml.evaluation.macro_f1}: mean F1 over classes in the truth or the predictions. */
    private static double realizedMacroF1(String[] actual, String[] predicted) {
        Map<String, int[]> counts = new LinkedHashMap<>();
        for (int r = 0; r < actual.length; r++) {
            counts.computeIfAbsent(actual[r], k -> new int[3]);
            counts.computeIfAbsent(predicted[r], k -> new int[3]);
            if (actual[r].equals(predicted[r])) {
                counts.get(actual[r])[0]++;
            } else {
                counts.get(predicted[r])[1]++;
                counts.get(actual[r])[2]++;
            }
        }
        double sum = 0;
        for (int[] c : counts.values()) {
            int denominator = 2 * c[0] + c[1] + c[2];
            sum += denominator == 0 ? 0 : 2.0 * c[0] / denominator;
        }
        return counts.isEmpty() ? 0 : sum / counts.size();
    }
}
