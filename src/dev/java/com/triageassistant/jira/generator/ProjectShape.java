package com.triageassistant.jira.generator;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The fixed structure of one project: its components, how they group into teams, how popular each is, and which
 * stack each component's backend runs on (so its stack traces look like Java or Python consistently).
 */
final class ProjectShape {

    static final long DAY = 86_400L;

    final List<ComponentSpec> components;
    /** team index of each component */
    final int[] teamOf;
    /** component indexes of each team */
    final int[][] teams;
    final double[] popularity;
    final double[][] subtopicWeights;
    final boolean[] python;
    /** epoch seconds: first issue's creation and the end of the span */
    final long start;
    final long end;

    private ProjectShape(List<ComponentSpec> components, int[] teamOf, int[][] teams, double[] popularity,
                         double[][] subtopicWeights, boolean[] python, long start, long end) {
        this.components = components;
        this.teamOf = teamOf;
        this.teams = teams;
        this.popularity = popularity;
        this.subtopicWeights = subtopicWeights;
        this.python = python;
        this.start = start;
        this.end = end;
    }

    static ProjectShape draw(GeneratorConfig config, long start, long end, SplittableRandom rng) {
        List<ComponentSpec> pool = ComponentCatalog.ALL;
        // Bigger projects have more components: about 8-10 at 100 issues, 15-17 at 5,000, 20 at 50,000.
        double scale = Math.log10(Math.max(100, config.issueCount()) / 100.0);
        int count = Math.min(20, Math.min(pool.size(), 8 + (int) Math.round(scale * 4) + rng.nextInt(3)));

        List<Integer> indexes = new ArrayList<>();
        for (int i = 0; i < pool.size(); i++) {
            indexes.add(i);
        }
        shuffle(indexes, rng);
        List<Integer> chosen = new ArrayList<>(indexes.subList(0, count));
        chosen.sort(null);
        List<ComponentSpec> components = new ArrayList<>();
        for (int index : chosen) {
            components.add(pool.get(index));
        }

        int teamCount = (count + 3) / 4;
        int[] teamOf = new int[count];
        int[][] teams = new int[teamCount][];
        for (int team = 0, next = 0; team < teamCount; team++) {
            int size = count / teamCount + (team < count % teamCount ? 1 : 0);
            teams[team] = new int[size];
            for (int k = 0; k < size; k++, next++) {
                teams[team][k] = next;
                teamOf[next] = team;
            }
        }

        // Zipf-like popularity over a random order, jittered: a couple of components attract most reports.
        List<Integer> ranks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ranks.add(i);
        }
        shuffle(ranks, rng);
        double[] popularity = new double[count];
        for (int i = 0; i < count; i++) {
            popularity[i] = Math.pow(ranks.get(i) + 1, -0.8) * Math.exp(0.25 * Draw.gaussian(rng));
        }

        double[][] subtopicWeights = new double[count][];
        boolean[] python = new boolean[count];
        for (int i = 0; i < count; i++) {
            int subtopics = components.get(i).subtopics().size();
            subtopicWeights[i] = new double[subtopics];
            for (int s = 0; s < subtopics; s++) {
                subtopicWeights[i][s] = Math.exp(0.6 * Draw.gaussian(rng));
            }
            python[i] = Draw.chance(0.35, rng);
        }
        return new ProjectShape(List.copyOf(components), teamOf, teams, popularity, subtopicWeights, python,
                start, end);
    }

    ComponentSpec component(int index) {
        return components.get(index);
    }

    int componentCount() {
        return components.size();
    }

    long span() {
        return end - start;
    }

    static <T> void shuffle(List<T> items, SplittableRandom rng) {
        for (int i = items.size() - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            T swap = items.get(i);
            items.set(i, items.get(j));
            items.set(j, swap);
        }
    }
}
