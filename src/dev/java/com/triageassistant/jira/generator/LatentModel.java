package com.triageassistant.jira.generator;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Draws an issue's hidden state: who reports it, then (depending on the reporter) its type and component, then its
 * subtopic, aspect and severity cue. The reporter comes first because in real trackers who files an issue shapes
 * what it is about: support files customer bugs for the areas they cover, developers file for their own code.
 */
final class LatentModel {

    private static final IssueType[] TYPES = IssueType.values();
    private static final Aspect[] ASPECTS = Aspect.values();
    private static final SeverityCue[] CUES = SeverityCue.values();

    private final ProjectShape shape;
    private final List<Person> people;
    private final double[][] aspectWeights = new double[TYPES.length][];
    private final double[][] cueWeights = new double[ASPECTS.length][];

    LatentModel(ProjectShape shape, List<Person> people) {
        this.shape = shape;
        this.people = people;
        for (IssueType type : TYPES) {
            aspectWeights[type.ordinal()] = Aspect.weightsFor(type);
        }
        for (Aspect aspect : ASPECTS) {
            cueWeights[aspect.ordinal()] = aspect.cueWeights();
        }
    }

    IssueLatent draw(int number, long created, SplittableRandom rng) {
        double[] reportWeights = new double[people.size()];
        for (int i = 0; i < reportWeights.length; i++) {
            Person person = people.get(i);
            reportWeights[i] = person.activeAt(created) ? person.reportWeight : 0;
        }
        Person reporter = people.get(Draw.weighted(reportWeights, reportWeights.length, rng));

        double[] typeWeights = new double[TYPES.length];
        for (IssueType type : TYPES) {
            typeWeights[type.ordinal()] = reporter.role.typeWeight(type);
        }
        IssueType type = TYPES[Draw.weighted(typeWeights, TYPES.length, rng)];

        int component = component(reporter, rng);
        double[] subtopicWeights = shape.subtopicWeights[component];
        int subtopic = Draw.weighted(subtopicWeights, subtopicWeights.length, rng);
        double[] aspects = aspectWeights[type.ordinal()].clone();
        if (reporter.role == Role.SUPPORT || reporter.role == Role.PRODUCT) {
            // build breakages and refactorings are found and filed by engineers
            aspects[Aspect.BUILD.ordinal()] = 0;
            aspects[Aspect.REFACTOR.ordinal()] = 0;
        }
        Aspect aspect = ASPECTS[Draw.weighted(aspects, aspects.length, rng)];
        double[] cues = cueWeights[aspect.ordinal()];
        SeverityCue cue = CUES[Draw.weighted(cues, cues.length, rng)];
        return new IssueLatent(number, created, reporter, type, component, subtopic, aspect, cue);
    }

    private int component(Person reporter, SplittableRandom rng) {
        double u = rng.nextDouble();
        int[] pool;
        if (reporter.role.takesIssues()) {
            pool = u < 0.5 ? reporter.specialities : u < 0.7 ? shape.teams[reporter.team] : null;
        } else {
            pool = u < 0.7 ? shape.teams[reporter.team] : null;
        }
        if (pool == null || pool.length == 0) {
            return Draw.weighted(shape.popularity, shape.popularity.length, rng);
        }
        double[] weights = new double[pool.length];
        for (int k = 0; k < pool.length; k++) {
            weights[k] = shape.popularity[pool[k]];
        }
        return pool[Draw.weighted(weights, pool.length, rng)];
    }
}
