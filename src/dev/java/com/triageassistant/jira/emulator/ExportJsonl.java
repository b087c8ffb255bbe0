package com.triageassistant.jira.emulator;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import com.triageassistant.jira.generator.GeneratorConfig;
import com.triageassistant.jira.generator.ProjectGenerator;

/**
 * Writes a generated project as JSON Lines, one issue per line exactly as the emulator's {@code search/jql} returns
 * it: the input of {@code bin/evaluate}.
 *
 * <p>Run: {@code ./mvnw -q -B exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=com.triageassistant.jira.emulator.ExportJsonl -Dexec.args="FILE ISSUES SEED [NOISE]"}
 */
public final class ExportJsonl {

    private static final Set<String> FIELDS = Set.of("summary", "description", "assignee", "reporter", "labels",
            "components", "priority", "issuetype", "created", "updated", "project");

    private ExportJsonl() {
    }

    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[0]);
        GeneratorConfig config = GeneratorConfig.defaults(Long.parseLong(args[2]), "GEN")
                .withIssueCount(Integer.parseInt(args[1]));
        if (args.length > 3) {
            config = config.withNoise(Double.parseDouble(args[3]));
        }
        try (JiraEmulator jira = new JiraEmulator(); Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            EmulatedSite site = jira.createSite("export");
            site.load(new ProjectGenerator(config).generate());
            for (EmulatedIssue issue : site.issues("GEN")) {
                out.write(site.json().issue(issue, FIELDS).toString());
                out.write('\n');
            }
        }
        System.out.println("wrote " + file);
    }
}
