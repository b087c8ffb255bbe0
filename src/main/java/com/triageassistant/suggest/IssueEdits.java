package com.triageassistant.suggest;

import java.util.List;

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

    /** Values the issue has for a target now (at most one for assignee and priority). */
    static List<String> current(String target, IssueRecord issue) {
        return switch (target) {
            case "assignee" -> issue.assignee() == null ? List.of() : List.of(issue.assignee());
            case "priority" -> issue.priority() == null ? List.of() : List.of(issue.priority());
            case "labels" -> issue.labels();
            case "components" -> issue.components();
            default -> List.of();
        };
    }

    static boolean multiValued(String target) {
        return target.equals("labels") || target.equals("components");
    }
}
