package com.triageassistant.jira.generator;

import com.fasterxml.jackson.databind.JsonNode;

/** Plain text of an ADF document, for assertions about wording. */
final class AdfText {

    private AdfText() {
    }

    static String of(JsonNode node) {
        StringBuilder out = new StringBuilder();
        collect(node, out);
        return out.toString();
    }

    static String of(GeneratedIssue issue) {
        return issue.summary() + "\n" + of(issue.description());
    }

    private static void collect(JsonNode node, StringBuilder out) {
        if ("text".equals(node.path("type").asText())) {
            out.append(node.path("text").asText()).append('\n');
        }
        for (JsonNode child : node.path("content")) {
            collect(child, out);
        }
    }
}
