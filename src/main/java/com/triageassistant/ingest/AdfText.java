package com.triageassistant.ingest;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Plain text of an Atlassian Document Format document: text nodes in order, block boundaries as newlines, code
 * blocks (stack traces) kept verbatim, mentions, emoji and links as their visible text. Unknown node types are
 * walked for their content, so new ADF features degrade to their text rather than vanish.
 */
public final class AdfText {

    /** Longer descriptions are cut: the models read the beginning, and storage stays bounded. */
    static final int MAX_CHARS = 32_000;

    private AdfText() {
    }

    public static String of(JsonNode adf) {
        if (adf == null || adf.isNull() || adf.isMissingNode()) {
            return "";
        }
        if (adf.isTextual()) {
            return cut(adf.asText());
        }
        StringBuilder text = new StringBuilder();
        walk(adf, text);
        return cut(text.toString().strip());
    }

    private static void walk(JsonNode node, StringBuilder text) {
        if (text.length() > MAX_CHARS) {
            return;
        }
        String type = node.path("type").asText();
        switch (type) {
            case "text" -> text.append(node.path("text").asText());
            case "hardBreak" -> text.append('\n');
            case "mention" -> text.append(node.path("attrs").path("text").asText());
            case "emoji" -> text.append(node.path("attrs").path("text").asText(node.path("attrs").path("shortName").asText()));
            case "inlineCard", "blockCard", "embedCard" -> text.append(node.path("attrs").path("url").asText());
            case "date" -> text.append(node.path("attrs").path("timestamp").asText());
            case "status" -> text.append(node.path("attrs").path("text").asText());
            default -> {
                boolean block = isBlock(type);
                if (block && text.length() > 0 && text.charAt(text.length() - 1) != '\n') {
                    text.append('\n');
                }
                for (JsonNode child : node.path("content")) {
                    walk(child, text);
                }
                if (block && text.length() > 0 && text.charAt(text.length() - 1) != '\n') {
                    text.append('\n');
                }
            }
        }
    }

    private static boolean isBlock(String type) {
        return switch (type) {
            case "paragraph", "heading", "codeBlock", "blockquote", "listItem", "bulletList", "orderedList", "panel",
                 "rule", "table", "tableRow", "tableCell", "tableHeader", "mediaSingle", "expand", "nestedExpand",
                 "taskList", "taskItem", "decisionList", "decisionItem" -> true;
            default -> false;
        };
    }

    /** The first {@code MAX_CHARS} UTF-16 units; a surrogate pair the cut would split goes whole (as in adf.py). */
    private static String cut(String text) {
        if (text.length() <= MAX_CHARS) {
            return text;
        }
        boolean splitsPair = Character.isHighSurrogate(text.charAt(MAX_CHARS - 1))
                && Character.isLowSurrogate(text.charAt(MAX_CHARS));
        return text.substring(0, splitsPair ? MAX_CHARS - 1 : MAX_CHARS);
    }
}
