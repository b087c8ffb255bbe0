package com.triageassistant.jira.generator;

import java.util.List;
import java.util.SplittableRandom;

/** Weighted and uniform draws; every draw takes its randomness from the caller's stream. */
final class Draw {

    private Draw() {
    }

    /** Index {@code i < n} with probability {@code weights[i] / sum}; the sum must be positive. */
    static int weighted(double[] weights, int n, SplittableRandom rng) {
        double total = 0;
        for (int i = 0; i < n; i++) {
            total += weights[i];
        }
        return weighted(weights, n, total, rng.nextDouble());
    }

    /** Same, with a uniform {@code u} in [0, 1) drawn by the caller (so streams stay aligned). */
    static int weighted(double[] weights, int n, double total, double u) {
        double left = u * total;
        int last = -1;
        for (int i = 0; i < n; i++) {
            if (weights[i] <= 0) {
                continue;
            }
            last = i;
            left -= weights[i];
            if (left < 0) {
                return i;
            }
        }
        return last;
    }

    static <T> T pick(List<T> items, SplittableRandom rng) {
        return items.get(rng.nextInt(items.size()));
    }

    static boolean chance(double probability, SplittableRandom rng) {
        return rng.nextDouble() < probability;
    }

    /** A standard normal deviate (Box-Muller); the JDK's nextGaussian is not on SplittableRandom in Java 17. */
    static double gaussian(SplittableRandom rng) {
        double u = 1.0 - rng.nextDouble();
        double v = rng.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2.0 * Math.PI * v);
    }

    static double exponential(double mean, SplittableRandom rng) {
        return -mean * Math.log(1.0 - rng.nextDouble());
    }

    static double uniform(double from, double to, SplittableRandom rng) {
        return from + (to - from) * rng.nextDouble();
    }
}
