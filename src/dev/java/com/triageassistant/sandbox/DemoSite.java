package com.triageassistant.sandbox;

import java.util.ArrayList;
import java.util.List;

import com.triageassistant.jira.emulator.EmulatedProject;
import com.triageassistant.jira.emulator.EmulatedSite;
import com.triageassistant.jira.emulator.EmulatedUser;
import com.triageassistant.jira.generator.GeneratedIssue;
import com.triageassistant.jira.generator.GeneratorConfig;
import com.triageassistant.jira.generator.ProjectGenerator;

/**
 * What the sandbox's site holds before the app is installed: two generated projects of different shapes, small
 * enough to backfill and train in well under a minute on two cores, and two named people to sign in as, one of
 * them administering both projects.
 *
 * @param admin  administers both projects (sees the app's project settings page)
 * @param member a normal member of both projects
 */
record DemoSite(List<EmulatedProject> projects, EmulatedUser admin, EmulatedUser member) {

    /** A web shop: mid-sized, many people, the generator's usual noise. */
    static final GeneratorConfig SHOP = GeneratorConfig.defaults(11, "SHOP").withIssueCount(1_500);
    /** An operations team: smaller, few people, cleaner history. */
    static final GeneratorConfig OPS = GeneratorConfig.defaults(23, "OPS").withIssueCount(800).withPeople(12)
            .withNoise(0.05);

    static DemoSite create(EmulatedSite site) {
        List<EmulatedProject> projects = List.of(site.load(new ProjectGenerator(SHOP).generate()),
                site.load(new ProjectGenerator(OPS).generate()));
        EmulatedUser admin = site.createUser("Alex Admin");
        EmulatedUser member = site.createUser("Sam Member");
        for (EmulatedProject project : projects) {
            site.makeAssignable(project.key(), admin.accountId(), member.accountId());
            site.makeProjectAdmin(project.key(), admin.accountId());
        }
        return new DemoSite(projects, admin, member);
    }

    /**
     * Files a few new issues in every project as the member, through Jira's normal path (webhooks and all), so the
     * app has fresh issues to suggest for: a history loaded before the install gets no suggestions. Their text
     * comes from another generated history of the same project, so it reads like the rest.
     *
     * @return the new issues' keys, newest last
     */
    List<String> fileFreshIssues(EmulatedSite site, int perProject) {
        List<String> keys = new ArrayList<>();
        for (GeneratorConfig config : List.of(SHOP, OPS)) {
            GeneratorConfig elsewhere = new GeneratorConfig(config.seed() + 1_000, config.projectKey(), 100,
                    config.start(), config.years(), config.people(), config.noise());
            List<GeneratedIssue> samples = new ProjectGenerator(elsewhere).generate().issues();
            for (GeneratedIssue sample : samples.subList(samples.size() - perProject, samples.size())) {
                keys.add(site.createIssue(config.projectKey(), sample.issueType(), sample.summary(),
                        sample.description(), List.of(), List.of(), "Medium", null, member.accountId()).key());
            }
        }
        return keys;
    }
}
