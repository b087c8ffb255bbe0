package com.triageassistant.jira.generator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The assignee pattern: P(assignee | component, reporter, type, creation time).
 *
 * <p>Among the developers active at creation time who specialise in the issue's component, each gets weight
 * {@code workWeight x rampUp x typeAffinity x reporterAffinity}: the long-tail work weight, reduced for newcomers in
 * their first 60 days, their appetite for bugs (Bug) or stories (Story, Epic), and x4 if they reported the issue
 * themselves, x3 if they are one of the reporter's usual developers. With no active specialist, the component's
 * team takes it (same weights), and failing that anybody active.
 */
final class AssigneeModel {

    static final double SELF_AFFINITY = 4.0;
    static final double BUDDY_AFFINITY = 3.0;

    private final ProjectShape shape;
    private final List<Person> developers;

    AssigneeModel(ProjectShape shape, List<Person> people) {
        this.shape = shape;
        List<Person> devs = new ArrayList<>();
        for (Person person : people) {
            if (person.role.takesIssues()) {
                devs.add(person);
            }
        }
        this.developers = List.copyOf(devs);
    }

    /**
     * @param ranked        candidates, most likely first (ties: lower person index first)
     * @param probabilities their pattern probabilities, summing to 1
     * @param active        every developer assignable at creation time (what noise draws from)
     */
    record Distribution(Person[] ranked, double[] probabilities, Person[] active) {
    }

    Distribution distribution(IssueLatent z) {
        long time = z.created();
        List<Person> active = new ArrayList<>();
        for (Person dev : developers) {
            if (dev.activeAt(time)) {
                active.add(dev);
            }
        }
        List<Person> candidates = new ArrayList<>();
        for (Person dev : active) {
            if (dev.specialises(z.component())) {
                candidates.add(dev);
            }
        }
        if (candidates.isEmpty()) {
            int team = shape.teamOf[z.component()];
            for (Person dev : active) {
                if (dev.team == team) {
                    candidates.add(dev);
                }
            }
        }
        if (candidates.isEmpty()) {
            candidates.addAll(active);
        }
        int n = candidates.size();
        double[] scores = new double[n];
        double total = 0;
        for (int k = 0; k < n; k++) {
            scores[k] = score(candidates.get(k), z);
            total += scores[k];
        }
        Integer[] order = new Integer[n];
        for (int k = 0; k < n; k++) {
            order[k] = k;
        }
        Arrays.sort(order, (a, b) -> scores[a] != scores[b] ? Double.compare(scores[b], scores[a])
                : Integer.compare(candidates.get(a).index, candidates.get(b).index));
        Person[] ranked = new Person[n];
        double[] probabilities = new double[n];
        for (int k = 0; k < n; k++) {
            ranked[k] = candidates.get(order[k]);
            probabilities[k] = scores[order[k]] / total;
        }
        return new Distribution(ranked, probabilities, active.toArray(new Person[0]));
    }

    private static double score(Person dev, IssueLatent z) {
        double typeAffinity = switch (z.type()) {
            case BUG -> dev.bugAffinity;
            case STORY, EPIC -> dev.storyAffinity;
            default -> 1.0;
        };
        Person reporter = z.reporter();
        double reporterAffinity = dev.index == reporter.index ? SELF_AFFINITY
                : reporter.isBuddy(dev.index) ? BUDDY_AFFINITY : 1.0;
        return dev.workWeight * dev.rampAt(z.created()) * typeAffinity * reporterAffinity;
    }
}
