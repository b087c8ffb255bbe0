package com.triageassistant.jira.emulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Renders an issue description (Atlassian Document Format) for the issue view: block structure as HTML, every
 * piece of text escaped. Links show their text only, so a description cannot plant a {@code javascript:} URL.
 */
final class AdfHtml {

    /** Deeper documents are cut: Jira's editor cannot produce them and recursion must stay bounded. */
    private static final int MAX_DEPTH = 32;

    private AdfHtml() {
    }

    static Html render(JsonNode document) {
        if (document == null || document.isNull() || document.isMissingNode()) {
            return Html.EMPTY;
        }
        if (document.isTextual()) {
            return Html.fill("<p>{{text}}</p>", Map.of("text", document.asText()));
        }
        return node(document, 0);
    }

    private static Html node(JsonNode node, int depth) {
        if (depth > MAX_DEPTH) {
            return Html.EMPTY;
        }
        String type = node.path("type").asText();
        return switch (type) {
            case "text" -> text(node);
            case "paragraph" -> wrap("<p>{{inner}}</p>", node, depth);
            case "heading" -> wrap("<h3 class=\"adf-heading\">{{inner}}</h3>", node, depth);
            case "codeBlock" -> wrap("<pre class=\"adf-code\"><code>{{inner}}</code></pre>", node, depth);
            case "bulletList" -> wrap("<ul>{{inner}}</ul>", node, depth);
            case "orderedList" -> wrap("<ol>{{inner}}</ol>", node, depth);
            case "listItem" -> wrap("<li>{{inner}}</li>", node, depth);
            case "blockquote" -> wrap("<blockquote>{{inner}}</blockquote>", node, depth);
            case "hardBreak" -> Html.fill("<br>", Map.of());
            case "rule" -> Html.fill("<hr>", Map.of());
            case "mention" -> Html.text(node.path("attrs").path("text").asText("@someone"));
            case "emoji" -> Html.text(node.path("attrs").path("text").asText(node.path("attrs").path("shortName")
                    .asText("")));
            default -> children(node, depth);
        };
    }

    private static Html text(JsonNode node) {
        Html text = Html.text(node.path("text").asText());
        for (JsonNode mark : node.path("marks")) {
            String template = switch (mark.path("type").asText()) {
                case "strong" -> "<strong>{{inner}}</strong>";
                case "em" -> "<em>{{inner}}</em>";
                case "code" -> "<code>{{inner}}</code>";
                case "strike" -> "<s>{{inner}}</s>";
                default -> "{{inner}}";
            };
            text = Html.fill(template, Map.of("inner", text));
        }
        return text;
    }

    private static Html wrap(String template, JsonNode node, int depth) {
        return Html.fill(template, Map.of("inner", children(node, depth)));
    }

    private static Html children(JsonNode node, int depth) {
        List<Html> parts = new ArrayList<>();
        node.path("content").forEach(child -> parts.add(node(child, depth + 1)));
        return Html.join(parts);
    }
}
