package com.triageassistant.jira.generator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** Descriptions must be documents Jira Cloud would accept and render. */
class AdfDescriptionTest {

    private static final Set<String> BLOCKS = Set.of("paragraph", "bulletList", "codeBlock");

    private static GroundTruth truth;

    @BeforeAll
    static void generate() {
        truth = new ProjectGenerator(GeneratorConfig.defaults(99, "ADF").withIssueCount(3_000))
                .generateWithGroundTruth();
    }

    @Test
    void everyDescriptionIsValidAdf() {
        for (GeneratedIssue issue : truth.project().issues()) {
            JsonNode doc = issue.description();
            assertThat(doc.path("type").asText()).as(issue.key()).isEqualTo("doc");
            assertThat(doc.path("version").asInt()).as(issue.key()).isEqualTo(1);
            assertThat(doc.path("content").isArray()).as(issue.key()).isTrue();
            assertThat(doc.path("content")).as(issue.key()).isNotEmpty();
            for (JsonNode block : doc.path("content")) {
                assertThat(block.path("type").asText()).as(issue.key()).isIn(BLOCKS);
                switch (block.path("type").asText()) {
                    case "paragraph" -> assertInline(block, issue.key());
                    case "bulletList" -> {
                        assertThat(block.path("content")).as(issue.key()).isNotEmpty();
                        for (JsonNode item : block.path("content")) {
                            assertThat(item.path("type").asText()).isEqualTo("listItem");
                            assertThat(item.path("content")).hasSize(1);
                            assertInline(item.path("content").get(0), issue.key());
                        }
                    }
                    default -> {
                        assertThat(block.path("attrs").path("language").asText()).isIn("java", "python");
                        assertThat(block.path("content")).hasSize(1);
                        assertText(block.path("content").get(0), issue.key());
                        assertThat(block.path("content").get(0).has("marks")).isFalse();
                    }
                }
            }
            assertThat(issue.summary()).isNotBlank().hasSizeLessThan(255);
        }
    }

    @Test
    void sharedBoilerplateAndStackTracesThroughTheComponentsCode() {
        List<GeneratedIssue> issues = truth.project().issues();
        long withSteps = issues.stream().filter(issue -> AdfText.of(issue).contains("Steps to reproduce")).count();
        long withEnvironment = issues.stream().filter(issue -> AdfText.of(issue).contains("Environment:")).count();
        assertThat(withSteps).isGreaterThan(issues.size() / 5);
        assertThat(withEnvironment).isGreaterThan(issues.size() / 6);

        int traces = 0;
        for (int i = 0; i < issues.size(); i++) {
            for (JsonNode block : issues.get(i).description().path("content")) {
                if (!block.path("type").asText().equals("codeBlock")) {
                    continue;
                }
                traces++;
                String code = block.path("content").get(0).path("text").asText();
                String topic = truth.issues().get(i).topicComponent();
                ComponentSpec component = ComponentCatalog.ALL.stream().filter(spec -> spec.name().equals(topic))
                        .findFirst().orElseThrow();
                List<String> ownCode = new ArrayList<>(component.pythonModules());
                ownCode.add(component.javaPackage() + ".");
                assertThat(code).containsAnyOf(ownCode.toArray(String[]::new));
                assertThat(code).containsAnyOf("\tat ", "Traceback (most recent call last):");
            }
        }
        assertThat(traces).isBetween(issues.size() / 20, issues.size() / 3);
    }

    private static void assertInline(JsonNode paragraph, String key) {
        assertThat(paragraph.path("type").asText()).as(key).isEqualTo("paragraph");
        assertThat(paragraph.path("content")).as(key).isNotEmpty();
        for (JsonNode text : paragraph.path("content")) {
            assertText(text, key);
            for (JsonNode mark : text.path("marks")) {
                assertThat(mark.path("type").asText()).isEqualTo("strong");
            }
        }
    }

    private static void assertText(JsonNode node, String key) {
        assertThat(node.path("type").asText()).as(key).isEqualTo("text");
        assertThat(node.path("text").isTextual()).as(key).isTrue();
        assertThat(node.path("text").asText()).as(key).isNotEmpty();
    }
}
