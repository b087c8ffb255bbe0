package com.triageassistant.jira.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The documented accuracy bounds: they fall with noise, the oracle attains them, learners stay below. */
class GroundTruthTest {

    private static final GeneratorConfig CONFIG = GeneratorConfig.defaults(31, "GT").withIssueCount(5_000);
    /** Several standard errors of an accuracy measured on 5,000 issues (sd about 0.007). */
    private static final double TOLERANCE = 0.025;

    private static final Map<Double, GroundTruth> BY_NOISE = new LinkedHashMap<>();

    @BeforeAll
    static void generate() {
        for (double noise : new double[] {0.0, 0.1, 0.3, 0.5}) {
            BY_NOISE.put(noise, new ProjectGenerator(CONFIG.withNoise(noise)).generateWithGroundTruth());
        }
    }

    @Test
    void boundsFallAsNoiseRises() {
        double previousAssignee = 1.01;
        double previousPriority = 1.01;
        double previousLabels = 1.01;
        for (GroundTruth truth : BY_NOISE.values()) {
            assertThat(truth.assigneeTop1UpperBound()).isLessThan(previousAssignee);
            assertThat(truth.priorityAccuracyUpperBound()).isLessThan(previousPriority);
            assertThat(truth.labelSetAccuracyUpperBound()).isLessThan(previousLabels);
            previousAssignee = truth.assigneeTop1UpperBound();
            previousPriority = truth.priorityAccuracyUpperBound();
            previousLabels = truth.labelSetAccuracyUpperBound();
        }
    }

    @Test
    void boundsAreNonTrivial() {
        GroundTruth truth = BY_NOISE.get(0.1);
        assertThat(truth.assigneeTop1UpperBound()).isBetween(0.4, 0.8);
        assertThat(truth.assigneeTopKUpperBound(3)).isBetween(truth.assigneeTop1UpperBound() + 0.1, 0.98);
        assertThat(truth.assigneeTop1UpperBound()).isLessThan(truth.assigneeNoiseCeiling());
        assertThat(truth.priorityAccuracyUpperBound()).isBetween(0.6, 0.85);
        assertThat(truth.labelSetAccuracyUpperBound()).isBetween(0.45, 0.85);
    }

    @Test
    void theNoiseFormulaHoldsExactlyWithoutPatternSpread() {
        GroundTruth noiseless = BY_NOISE.get(0.0);
        GroundTruth noisy = BY_NOISE.get(0.3);
        double sum = 0;
        int count = 0;
        for (int i = 0; i < CONFIG.issueCount(); i++) {
            if (noisy.project().issues().get(i).assignee() != null) {
                IssueTruth issue = noisy.issues().get(i);
                sum += 0.7 * issue.assigneeProbabilities().get(0) + 0.3 / issue.assignableCount();
                count++;
            }
        }
        assertThat(noisy.assigneeTop1UpperBound()).isCloseTo(sum / count, within(1e-12));
        assertThat(noisy.assigneeTop1UpperBound())
                .isCloseTo(0.7 * noiseless.assigneeTop1UpperBound() + 0.3 * meanInverseAssignable(noisy),
                        within(1e-9));
    }

    @Test
    void theOracleAttainsTheBoundWithinSamplingError() {
        for (GroundTruth truth : BY_NOISE.values()) {
            List<GeneratedIssue> issues = truth.project().issues();
            int assigned = 0;
            int assigneeHits = 0;
            int top3Hits = 0;
            int priorityHits = 0;
            int labelHits = 0;
            for (int i = 0; i < issues.size(); i++) {
                GeneratedIssue issue = issues.get(i);
                if (issue.assignee() != null) {
                    assigned++;
                    assigneeHits += issue.assignee().equals(truth.oracleAssignee(i)) ? 1 : 0;
                    top3Hits += truth.oracleAssignees(i, 3).contains(issue.assignee()) ? 1 : 0;
                }
                priorityHits += issue.priority().equals(truth.oraclePriority(i)) ? 1 : 0;
                labelHits += issue.labels().equals(truth.oracleLabels(i)) ? 1 : 0;
            }
            String noise = "noise " + truth.noise();
            assertThat((double) assigneeHits / assigned).as(noise)
                    .isCloseTo(truth.assigneeTop1UpperBound(), within(TOLERANCE));
            assertThat((double) priorityHits / issues.size()).as(noise)
                    .isCloseTo(truth.priorityAccuracyUpperBound(), within(TOLERANCE));
            assertThat((double) labelHits / issues.size()).as(noise)
                    .isCloseTo(truth.labelSetAccuracyUpperBound(), within(TOLERANCE));
            if (truth.noise() == 0.0) {
                // top-3 padding with random people only matters with noise
                assertThat((double) top3Hits / assigned).as(noise)
                        .isCloseTo(truth.assigneeTopKUpperBound(3), within(TOLERANCE));
            }
        }
    }

    /** A learner that sees only visible fields, trained on the past, must not beat the bound on the future. */
    @Test
    void aLearnerFromVisibleFieldsStaysBelowTheBound() {
        GroundTruth truth = BY_NOISE.get(0.1);
        List<GeneratedIssue> issues = truth.project().issues();
        int split = (int) (issues.size() * 0.7);
        Map<String, Map<String, Integer>> assignees = new LinkedHashMap<>();
        Map<String, Map<String, Integer>> priorities = new LinkedHashMap<>();
        for (GeneratedIssue issue : issues.subList(0, split)) {
            if (issue.assignee() != null) {
                assignees.computeIfAbsent(assigneeKey(issue), key -> new LinkedHashMap<>())
                        .merge(issue.assignee(), 1, Integer::sum);
            }
            priorities.computeIfAbsent(priorityKey(issue), key -> new LinkedHashMap<>())
                    .merge(issue.priority(), 1, Integer::sum);
        }
        int assigned = 0;
        int assigneeHits = 0;
        int priorityHits = 0;
        for (GeneratedIssue issue : issues.subList(split, issues.size())) {
            Map<String, Integer> seen = assignees.get(assigneeKey(issue));
            if (issue.assignee() != null) {
                assigned++;
                assigneeHits += seen != null && argmax(seen).equals(issue.assignee()) ? 1 : 0;
            }
            Map<String, Integer> seenPriorities = priorities.get(priorityKey(issue));
            priorityHits += (seenPriorities == null ? "Medium" : argmax(seenPriorities)).equals(issue.priority()) ? 1 : 0;
        }
        int tested = issues.size() - split;
        double assigneeAccuracy = (double) assigneeHits / assigned;
        double priorityAccuracy = (double) priorityHits / tested;

        assertThat(assigneeAccuracy).isGreaterThan(0.15)
                .isLessThan(truth.assigneeTopKUpperBound(1, split, issues.size()) + TOLERANCE);
        assertThat(priorityAccuracy).isGreaterThan(0.5)
                .isLessThan(truth.priorityAccuracyUpperBound(split, issues.size()) + TOLERANCE);
    }

    private static String assigneeKey(GeneratedIssue issue) {
        return issue.components() + "|" + issue.reporter() + "|" + issue.issueType();
    }

    private static String priorityKey(GeneratedIssue issue) {
        String text = AdfText.of(issue).toLowerCase(java.util.Locale.ROOT);
        String cue = text.contains("production") || text.contains("outage") || text.contains("data loss") ? "critical"
                : text.contains("crash") || text.contains("blocker") || text.contains("urgent") ? "high"
                : text.contains("typo") || text.contains("cosmetic") || text.contains("minor")
                || text.contains("nice to have") ? "low" : "none";
        return cue + "|" + issue.issueType();
    }

    private static String argmax(Map<String, Integer> counts) {
        return counts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    }

    private static double meanInverseAssignable(GroundTruth truth) {
        double sum = 0;
        int count = 0;
        for (int i = 0; i < truth.issues().size(); i++) {
            if (truth.project().issues().get(i).assignee() != null) {
                sum += 1.0 / truth.issues().get(i).assignableCount();
                count++;
            }
        }
        return sum / count;
    }
}
