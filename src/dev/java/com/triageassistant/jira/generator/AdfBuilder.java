package com.triageassistant.jira.generator;

import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Builds an Atlassian Document Format document: {@code {"type":"doc","version":1,"content":[...]}} with paragraphs
 * (plain or with a bold lead-in), bullet lists and code blocks. ADF forbids empty text nodes, so empty strings are
 * skipped rather than written.
 */
final class AdfBuilder {

    private final JsonNodeFactory nodes = JsonNodeFactory.instance;
    private final ObjectNode doc = nodes.objectNode();
    private final ArrayNode content;

    AdfBuilder() {
        doc.put("type", "doc");
        doc.put("version", 1);
        content = doc.putArray("content");
    }

    AdfBuilder paragraph(String text) {
        if (!text.isEmpty()) {
            ObjectNode paragraph = content.addObject().put("type", "paragraph");
            text(paragraph.putArray("content"), text, false);
        }
        return this;
    }

    /** A paragraph starting with a bold lead-in ("Expected result:") followed by plain text, if any. */
    AdfBuilder lead(String bold, String text) {
        ObjectNode paragraph = content.addObject().put("type", "paragraph");
        ArrayNode inline = paragraph.putArray("content");
        text(inline, bold, true);
        if (!text.isEmpty()) {
            text(inline, " " + text, false);
        }
        return this;
    }

    AdfBuilder bulletList(List<String> items) {
        ObjectNode list = content.addObject().put("type", "bulletList");
        ArrayNode listItems = list.putArray("content");
        for (String item : items) {
            if (item.isEmpty()) {
                continue;
            }
            ObjectNode listItem = listItems.addObject().put("type", "listItem");
            ObjectNode paragraph = listItem.putArray("content").addObject().put("type", "paragraph");
            text(paragraph.putArray("content"), item, false);
        }
        return this;
    }

    AdfBuilder codeBlock(String language, String code) {
        ObjectNode block = content.addObject().put("type", "codeBlock");
        block.putObject("attrs").put("language", language);
        text(block.putArray("content"), code, false);
        return this;
    }

    ObjectNode build() {
        return doc;
    }

    private void text(ArrayNode inline, String text, boolean strong) {
        if (text.isEmpty()) {
            return;
        }
        ObjectNode node = inline.addObject().put("type", "text").put("text", text);
        if (strong) {
            node.putArray("marks").addObject().put("type", "strong");
        }
    }
}
