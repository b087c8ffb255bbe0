package com.triageassistant.jira.generator;

import java.time.Instant;

/**
 * Everything that shapes a generated project; the same config always yields the same project.
 *
 * @param seed        random seed
 * @param projectKey  e.g. {@code "ACME"}
 * @param issueCount  100 to 50,000
 * @param start       creation time of the first issue
 * @param years       span over which issues are created
 * @param people      how many people (assignees and reporters) the project has over its life
 * @param noise       share of issues whose assignee / labels / priority ignore the pattern (0 to 1)
 */
public record GeneratorConfig(long seed, String projectKey, int issueCount, Instant start, int years, int people,
                              double noise) {

    public GeneratorConfig {
        if (issueCount < 1 || issueCount > 50_000) {
            throw new IllegalArgumentException("issueCount must be 1..50000");
        }
        if (noise < 0 || noise > 1) {
            throw new IllegalArgumentException("noise must be within 0..1");
        }
    }

    /** A mid-sized project: 2,000 issues over three years, 40 people, 10% noise. */
    public static GeneratorConfig defaults(long seed, String projectKey) {
        return new GeneratorConfig(seed, projectKey, 2_000, Instant.parse("2023-01-02T09:00:00Z"), 3, 40, 0.10);
    }

    public GeneratorConfig withIssueCount(int count) {
        return new GeneratorConfig(seed, projectKey, count, start, years, people, noise);
    }

    public GeneratorConfig withNoise(double share) {
        return new GeneratorConfig(seed, projectKey, issueCount, start, years, people, share);
    }

    public GeneratorConfig withPeople(int count) {
        return new GeneratorConfig(seed, projectKey, issueCount, start, years, count, noise);
    }
}
