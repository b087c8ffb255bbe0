package com.triageassistant.jira.generator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class ProjectGeneratorDeterminismTest {

    private static final GeneratorConfig CONFIG = GeneratorConfig.defaults(7, "DET").withIssueCount(1_500);

    @Test
    void sameConfigGivesAnEqualProjectAndTheSameCanonicalJson() {
        GeneratedProject first = new ProjectGenerator(CONFIG).generate();
        GeneratedProject second = new ProjectGenerator(CONFIG).generate();

        assertThat(second).isEqualTo(first);
        assertThat(ProjectDigest.json(second)).isEqualTo(ProjectDigest.json(first));
    }

    @Test
    void anotherSeedGivesAnotherProject() {
        GeneratedProject first = new ProjectGenerator(CONFIG).generate();
        GeneratedProject other = new ProjectGenerator(new GeneratorConfig(8, CONFIG.projectKey(),
                CONFIG.issueCount(), CONFIG.start(), CONFIG.years(), CONFIG.people(), CONFIG.noise())).generate();

        assertThat(ProjectDigest.sha256(other)).isNotEqualTo(ProjectDigest.sha256(first));
        assertThat(other.users().get(0).accountId()).isNotEqualTo(first.users().get(0).accountId());
        long sameSummaries = 0;
        for (int i = 0; i < first.issues().size(); i++) {
            if (first.issues().get(i).summary().equals(other.issues().get(i).summary())) {
                sameSummaries++;
            }
        }
        assertThat(sameSummaries).isLessThan(first.issues().size() / 20);
    }

    /** Identity hash codes, default locales or clocks would only show up across processes. */
    @Test
    void anotherJvmComputesTheSameDigest() throws IOException, InterruptedException {
        String here = ProjectDigest.sha256(new ProjectGenerator(GeneratorConfig.defaults(11, "DET")
                .withIssueCount(300)).generate());

        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Duser.language=ar");
        command.add("-Duser.country=EG");
        command.add("-Duser.timezone=Pacific/Kiritimati");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ProjectDigest.class.getName());
        command.add("11");
        command.add("300");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).isEqualTo(here);
    }

    @Test
    void changingOnlyTheNoiseKeepsTextAndHiddenStateAndNestsTheNoisyIssues() {
        GroundTruth low = new ProjectGenerator(CONFIG.withNoise(0.1)).generateWithGroundTruth();
        GroundTruth high = new ProjectGenerator(CONFIG.withNoise(0.3)).generateWithGroundTruth();

        for (int i = 0; i < CONFIG.issueCount(); i++) {
            GeneratedIssue a = low.project().issues().get(i);
            GeneratedIssue b = high.project().issues().get(i);
            assertThat(b.summary()).isEqualTo(a.summary());
            assertThat(b.description()).isEqualTo(a.description());
            assertThat(b.reporter()).isEqualTo(a.reporter());
            assertThat(high.issues().get(i).assigneeRanking()).isEqualTo(low.issues().get(i).assigneeRanking());
            if (a.noisy().assignee()) {
                assertThat(b.noisy().assignee()).isTrue();
            }
            if (a.noisy().labels()) {
                assertThat(b.noisy().labels()).isTrue();
            }
            if (a.noisy().priority()) {
                assertThat(b.noisy().priority()).isTrue();
            }
            if (!b.noisy().priority()) {
                assertThat(b.priority()).isEqualTo(a.priority());
            }
        }
    }
}
