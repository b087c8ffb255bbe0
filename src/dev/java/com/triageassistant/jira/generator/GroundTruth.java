package com.triageassistant.jira.generator;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A generated project together with the truth behind it: per issue, the hidden state and the pattern
 * distributions, and from them the best accuracy any predictor can expect (see {@link ProjectGenerator} for the
 * formulas) and the oracle's predictions that attain it.
 */
public final class GroundTruth {

    private final GeneratedProject project;
    private final List<IssueTruth> issues;

    GroundTruth(GeneratedProject project, List<IssueTruth> issues) {
        this.project = project;
        this.issues = issues;
    }

    public GeneratedProject project() {
        return project;
    }

    /** Aligned with {@code project().issues()}. */
    public List<IssueTruth> issues() {
        return issues;
    }

    public double noise() {
        return project.config().noise();
    }

    /** Priority names with the probabilities a noisy issue's priority is drawn with. */
    public static List<Double> priorityNoisePrior() {
        return PriorityModel.NOISE_PRIOR;
    }

    /** Probability that a noisy issue gets 0, 1, 2 or 3 random labels. */
    public static List<Double> labelNoiseCardinality() {
        return LabelModel.NOISE_CARDINALITY;
    }

    // ---- bounds: expected accuracy of the best possible predictor ----

    /** Top-1 assignee accuracy over all issues that have an assignee. */
    public double assigneeTop1UpperBound() {
        return assigneeTopKUpperBound(1, 0, issues.size());
    }

    /** "The assignee is among the k suggestions", over all issues that have an assignee. */
    public double assigneeTopKUpperBound(int k) {
        return assigneeTopKUpperBound(k, 0, issues.size());
    }

    /** Same over the issues with index in [from, to) that have an assignee (e.g. a time-ordered test split). */
    public double assigneeTopKUpperBound(int k, int from, int to) {
        double sum = 0;
        int count = 0;
        List<GeneratedIssue> generated = project.issues();
        for (int i = from; i < to; i++) {
            if (generated.get(i).assignee() != null) {
                sum += assigneeTopKSuccess(i, k);
                count++;
            }
        }
        return count == 0 ? 0 : sum / count;
    }

    /**
     * The looser bound noise alone imposes, as if the pattern were deterministic:
     * {@code (1 - noise) + noise x mean(1 / assignable)}, over issues that have an assignee.
     */
    public double assigneeNoiseCeiling() {
        double sum = 0;
        int count = 0;
        List<GeneratedIssue> generated = project.issues();
        for (int i = 0; i < issues.size(); i++) {
            if (generated.get(i).assignee() != null) {
                sum += 1.0 / issues.get(i).assignableCount();
                count++;
            }
        }
        double n = noise();
        return count == 0 ? 0 : (1 - n) + n * sum / count;
    }

    public double priorityAccuracyUpperBound() {
        return priorityAccuracyUpperBound(0, issues.size());
    }

    public double priorityAccuracyUpperBound(int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += prioritySuccess(i);
        }
        return to <= from ? 0 : sum / (to - from);
    }

    /** Exact label-set match (no labels is a valid answer). */
    public double labelSetAccuracyUpperBound() {
        return labelSetAccuracyUpperBound(0, issues.size());
    }

    public double labelSetAccuracyUpperBound(int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += labelSetSuccess(i);
        }
        return to <= from ? 0 : sum / (to - from);
    }

    // ---- per issue: probability that the oracle's answer is right ----

    public double assigneeTopKSuccess(int issue, int k) {
        IssueTruth truth = issues.get(issue);
        double n = noise();
        List<Double> p = truth.assigneeProbabilities();
        double pattern = 0;
        for (int j = 0; j < Math.min(k, p.size()); j++) {
            pattern += p.get(j);
        }
        int assignable = truth.assignableCount();
        return (1 - n) * pattern + n * Math.min(k, assignable) / (double) assignable;
    }

    public double prioritySuccess(int issue) {
        return bestPriority(issues.get(issue)).success();
    }

    public double labelSetSuccess(int issue) {
        return bestLabels(issues.get(issue)).success();
    }

    // ---- the oracle: knows the hidden state, predicts the most likely value ----

    public String oracleAssignee(int issue) {
        return issues.get(issue).assigneeRanking().get(0);
    }

    public List<String> oracleAssignees(int issue, int k) {
        List<String> ranking = issues.get(issue).assigneeRanking();
        return ranking.subList(0, Math.min(k, ranking.size()));
    }

    public String oraclePriority(int issue) {
        return bestPriority(issues.get(issue)).value();
    }

    /** Sorted by name, as {@link GeneratedIssue#labels()} is. */
    public List<String> oracleLabels(int issue) {
        return bestLabels(issues.get(issue)).labels();
    }

    // ---- per-issue maths ----

    private record Choice(String value, double success) {
    }

    private Choice bestPriority(IssueTruth truth) {
        double n = noise();
        List<Double> p = truth.priorityProbabilities();
        int best = 0;
        double bestSuccess = -1;
        for (int k = 0; k < p.size(); k++) {
            double success = (1 - n) * p.get(k) + n * PriorityModel.NOISE_PRIOR.get(k);
            if (success > bestSuccess + 1e-12) {
                best = k;
                bestSuccess = success;
            }
        }
        return new Choice(PriorityModel.NAMES.get(best), bestSuccess);
    }

    private record LabelChoice(List<String> labels, double success) {
    }

    /**
     * The most likely label set under the mixture. Pattern labels are independent coins, and the noise set's
     * probability depends only on its size, so for each size j the best set is the j labels with the highest odds
     * q / (1 - q); the answer is the best over j.
     */
    private LabelChoice bestLabels(IssueTruth truth) {
        double n = noise();
        List<Map.Entry<String, Double>> byOdds = new ArrayList<>(truth.labelProbabilities().entrySet());
        byOdds.sort((a, b) -> a.getValue().equals(b.getValue()) ? a.getKey().compareTo(b.getKey())
                : Double.compare(b.getValue(), a.getValue()));
        double none = 1;
        for (Map.Entry<String, Double> entry : byOdds) {
            none *= 1 - entry.getValue();
        }
        int inUse = truth.labelsInUse().size();
        List<Double> cardinality = LabelModel.NOISE_CARDINALITY;
        int maxSize = Math.max(byOdds.size(), cardinality.size() - 1);
        int bestSize = 0;
        double bestSuccess = -1;
        double pattern = none;
        for (int j = 0; j <= maxSize; j++) {
            if (j > 0) {
                pattern = j <= byOdds.size() ? pattern * byOdds.get(j - 1).getValue() / (1 - byOdds.get(j - 1).getValue())
                        : 0;
            }
            double success = (1 - n) * pattern + n * noiseSetProbability(j, inUse, cardinality);
            if (success > bestSuccess + 1e-12) {
                bestSize = j;
                bestSuccess = success;
            }
        }
        List<String> labels = new ArrayList<>();
        for (int j = 0; j < Math.min(bestSize, byOdds.size()); j++) {
            labels.add(byOdds.get(j).getKey());
        }
        for (String label : truth.labelsInUse()) {
            if (labels.size() >= bestSize) {
                break;
            }
            if (!labels.contains(label)) {
                labels.add(label);
            }
        }
        Collections.sort(labels);
        return new LabelChoice(List.copyOf(labels), bestSuccess);
    }

    /** Probability that the noise draws one particular set of {@code size} labels out of {@code inUse}. */
    private static double noiseSetProbability(int size, int inUse, List<Double> cardinality) {
        if (size > inUse) {
            return 0;
        }
        double mass = 0;
        for (int c = 0; c < cardinality.size(); c++) {
            if (Math.min(c, inUse) == size) {
                mass += cardinality.get(c);
            }
        }
        return mass / binomial(inUse, size);
    }

    private static double binomial(int n, int k) {
        double result = 1;
        for (int j = 1; j <= k; j++) {
            result = result * (n - k + j) / j;
        }
        return result;
    }
}
