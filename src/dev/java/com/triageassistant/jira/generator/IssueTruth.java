package com.triageassistant.jira.generator;

import java.util.List;
import java.util.Map;

/**
 * What the generator knew about one issue when it drew the targets: the hidden state and the exact pattern
 * distributions. Evaluation code reads it to compute bounds and to play the oracle; a model under test must not.
 *
 * @param topicComponent        the component the issue is really about (its components field may be empty)
 * @param subtopic              the theme within that component (its first noun)
 * @param aspect                kind of problem or work (FUNCTIONAL, CRASH, OUTAGE, ...)
 * @param severityCue           CRITICAL, HIGH, NONE or LOW
 * @param assigneeRanking       accountIds the pattern could pick, most likely first
 * @param assigneeProbabilities their pattern probabilities (sum 1)
 * @param assignableCount       developers active at creation time: what a noisy assignee is drawn from
 * @param priorityProbabilities pattern probability of each priority, highest first
 * @param labelProbabilities    pattern chance of every label that could be drawn (independent coins)
 * @param labelsInUse           labels in use at creation time: what a noisy label set is drawn from
 * @param typos                 misspellings put into the summary and description
 */
public record IssueTruth(String key, String topicComponent, String subtopic, String aspect, String severityCue,
                         List<String> assigneeRanking, List<Double> assigneeProbabilities, int assignableCount,
                         List<Double> priorityProbabilities, Map<String, Double> labelProbabilities,
                         List<String> labelsInUse, List<Typo> typos) {
}
