package com.triageassistant.jira.generator;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Draws the three targets of an issue: from the pattern, or, for a {@code noise} share of issues per target,
 * ignoring it. Pattern draws and noise draws come from two separate streams, and both values are always drawn
 * (the flag only picks one), so how many random numbers are consumed never depends on the noise level: two configs
 * differing only in noise stay aligned issue by issue.
 */
final class TargetDrawer {

    record Targets(String assignee, boolean noisyAssignee, List<String> labels, boolean noisyLabels, String priority,
                   boolean noisyPriority) {
    }

    private final double noise;
    private final LabelModel labels;
    private final SplittableRandom pattern;
    private final SplittableRandom noiseRng;
    private final double[] priorPriorities;
    private final double[] noiseCardinality;

    TargetDrawer(double noise, LabelModel labels, SplittableRandom pattern, SplittableRandom noiseRng) {
        this.noise = noise;
        this.labels = labels;
        this.pattern = pattern;
        this.noiseRng = noiseRng;
        this.priorPriorities = PriorityModel.NOISE_PRIOR.stream().mapToDouble(Double::doubleValue).toArray();
        this.noiseCardinality = LabelModel.NOISE_CARDINALITY.stream().mapToDouble(Double::doubleValue).toArray();
    }

    Targets draw(IssueLatent z, AssigneeModel.Distribution candidates, double[] labelChances, double[] priorities) {
        boolean noisyAssignee = noiseRng.nextDouble() < noise;
        boolean noisyLabels = noiseRng.nextDouble() < noise;
        boolean noisyPriority = noiseRng.nextDouble() < noise;

        double[] p = candidates.probabilities();
        String patternAssignee = candidates.ranked()[Draw.weighted(p, p.length, 1.0, pattern.nextDouble())].accountId;
        Person[] active = candidates.active();
        String randomAssignee = active[noiseRng.nextInt(active.length)].accountId;

        List<String> patternLabels = new ArrayList<>();
        for (int k = 0; k < labelChances.length; k++) {
            if (labelChances[k] > 0 && pattern.nextDouble() < labelChances[k]) {
                patternLabels.add(labels.names().get(k));
            }
        }
        List<String> randomLabels = randomLabels(z.created());

        String patternPriority = PriorityModel.NAMES.get(Draw.weighted(priorities, priorities.length, 1.0,
                pattern.nextDouble()));
        String randomPriority = PriorityModel.NAMES.get(Draw.weighted(priorPriorities, priorPriorities.length, 1.0,
                noiseRng.nextDouble()));

        Collections.sort(patternLabels);
        return new Targets(noisyAssignee ? randomAssignee : patternAssignee, noisyAssignee,
                List.copyOf(noisyLabels ? randomLabels : patternLabels), noisyLabels,
                noisyPriority ? randomPriority : patternPriority, noisyPriority);
    }

    private List<String> randomLabels(long time) {
        int size = Draw.weighted(noiseCardinality, noiseCardinality.length, 1.0, noiseRng.nextDouble());
        int[] inUse = labels.inUseIndexesAt(time).clone();
        size = Math.min(size, inUse.length);
        List<String> chosen = new ArrayList<>(size);
        for (int k = 0; k < size; k++) {
            int j = k + noiseRng.nextInt(inUse.length - k);
            int swap = inUse[k];
            inUse[k] = inUse[j];
            inUse[j] = swap;
            chosen.add(labels.names().get(inUse[k]));
        }
        Collections.sort(chosen);
        return chosen;
    }
}
