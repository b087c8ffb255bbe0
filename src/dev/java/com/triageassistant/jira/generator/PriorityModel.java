package com.triageassistant.jira.generator;

import java.util.List;

/**
 * The priority pattern: P(priority | severity cue, component criticality, reporter habit, type).
 *
 * <p>A base distribution per cue, then Highest/High multiplied by {@code m = criticality x reporter inflation} and
 * Low/Lowest divided by {@code sqrt(m)}; Improvements lean Low, Epics Medium; renormalised.
 */
final class PriorityModel {

    static final List<String> NAMES = List.of("Highest", "High", "Medium", "Low", "Lowest");
    /** What a noisy issue's priority is drawn from: roughly the marginal of a real tracker. */
    static final List<Double> NOISE_PRIOR = List.of(0.03, 0.14, 0.60, 0.17, 0.06);

    private static double[] base(SeverityCue cue) {
        return switch (cue) {
            case CRITICAL -> new double[] {0.45, 0.38, 0.15, 0.02, 0.0};
            case HIGH -> new double[] {0.07, 0.45, 0.42, 0.05, 0.01};
            case NONE -> new double[] {0.01, 0.08, 0.78, 0.11, 0.02};
            case LOW -> new double[] {0.0, 0.02, 0.33, 0.47, 0.18};
        };
    }

    double[] distribution(IssueLatent z, ProjectShape shape) {
        double[] p = base(z.cue());
        double m = shape.component(z.component()).criticality() * z.reporter().priorityInflation;
        p[0] *= m;
        p[1] *= m;
        p[3] /= Math.sqrt(m);
        p[4] /= Math.sqrt(m);
        switch (z.type()) {
            case IMPROVEMENT -> {
                p[3] *= 1.4;
                p[4] *= 1.4;
            }
            case EPIC -> p[2] *= 1.3;
            case STORY -> p[3] *= 1.2;
            default -> {
            }
        }
        double total = 0;
        for (double v : p) {
            total += v;
        }
        for (int k = 0; k < p.length; k++) {
            p[k] /= total;
        }
        return p;
    }
}
