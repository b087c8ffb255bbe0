package com.triageassistant.suggest;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.triageassistant.ingest.IssueRecord;

/**
 * The body of Jira's {@code PUT /rest/api/3/issue/{id}} that applies one suggested value: the same edit whether the
 * glance sends it as the signed-in person or auto-apply sends it as the app.
 */
final class IssueEdits {

    private static final ObjectMapper JSON = new ObjectMapper();

    private IssueEdits() {
    }

    static ObjectNode apply(String target, String value, IssueRecord issue) {
        ObjectNode edit = JSON.createObjectNode();
        switch (target) {
            case "assignee" -> edit.putObject("fields").putObject("assignee").put("accountId", value);
            case "priority" -> edit.putObject("fields").putObject("priority").put("name", value);
            // labels have an add operation, so concurrent edits of other labels are not lost
            case "labels" -> edit.putObject("update").putArray("labels").addObject().put("add", value);
            case "components" -> {
                ArrayNode components = edit.putObject("fields").putArray("components");
                issue.components().forEach(name -> components.addObject().put("name", name));
                components.addObject().put("name", value);
            }
            default -> throw new IllegalArgumentException("unknown target " + target);
        }
        return edit;
    }

    /**
     * One edit applying several values of several targets at once ({@code values} by target, best first): for
     * single-valued targets the first value, labels added one by one, components added to the current ones.
     */
    static ObjectNode applyAll(Map<String, List<String>> values, IssueRecord issue) {
        ObjectNode edit = JSON.createObjectNode();
        values.forEach((target, chosen) -> {
            if (chosen.isEmpty()) {
                return;
            }
            switch (target) {
                case "assignee" -> fields(edit).putObject("assignee").put("accountId", chosen.get(0));
                case "priority" -> fields(edit).putObject("priority").put("name", chosen.get(0));
                case "labels" -> {
                    ArrayNode labels = child(edit, "update").putArray("labels");
                    chosen.forEach(value -> labels.addObject().put("add", value));
                }
                case "components" -> {
                    ArrayNode components = fields(edit).putArray("components");
                    issue.components().forEach(name -> components.addObject().put("name", name));
                    chosen.stream().filter(value -> !issue.components().contains(value))
                            .forEach(value -> components.addObject().put("name", value));
                }
                default -> throw new IllegalArgumentException("unknown target " + target);
            }
        });
        return edit;
    }

    private static ObjectNode fields(ObjectNode edit) {
        return child(edit, "fields");
    }

    private static ObjectNode child(ObjectNode edit, String name) {
        return edit.has(name) ? (ObjectNode) edit.get(name) : edit.putObject(name);
    }

    static boolean multiValued(String target) {
        return target.equals("labels") || target.equals("components");
    }
}
