package com.triageassistant.jira.emulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/** Reads the body of {@code PUT /rest/api/3/issue/{key}} the way Jira v3 does, refusing what Jira refuses. */
final class IssueEditParser {

    private IssueEditParser() {
    }

    static IssueEdit parse(String body) {
        JsonNode request = SiteRestApi.readJson(body);
        IssueEdit edit = IssueEdit.create();
        request.path("fields").fields().forEachRemaining(entry -> field(edit, entry.getKey(), entry.getValue()));
        request.path("update").fields().forEachRemaining(entry -> {
            if (!entry.getKey().equals("labels")) {
                throw JiraRequestException.fieldError(entry.getKey(), "Field '" + entry.getKey()
                        + "' cannot be set. It is not on the appropriate screen, or unknown.");
            }
            for (JsonNode operation : entry.getValue()) {
                if (operation.has("add")) {
                    edit.addLabel(operation.get("add").asText());
                } else if (operation.has("remove")) {
                    edit.removeLabel(operation.get("remove").asText());
                } else if (operation.has("set")) {
                    edit.labels(strings(operation.get("set")));
                } else {
                    throw JiraRequestException.fieldError("labels", "Unsupported operation on labels");
                }
            }
        });
        return edit;
    }

    private static void field(IssueEdit edit, String name, JsonNode value) {
        switch (name) {
            case "assignee" -> edit.assignee(value.isNull() ? null : value.path("accountId").asText(null));
            case "priority" -> edit.priority(value.has("id")
                    ? SiteState.priorityById(value.get("id").asText()).orElseThrow(() ->
                            JiraRequestException.fieldError("priority", "The priority selected is invalid."))
                    : value.path("name").asText(null));
            case "labels" -> edit.labels(strings(value));
            case "components" -> {
                // Jira takes each component by name or by id; ids are resolved against the issue's project.
                List<String> components = new ArrayList<>();
                value.forEach(component -> components.add(component.has("name") ? component.get("name").asText()
                        : IssueEdit.COMPONENT_ID_PREFIX + component.path("id").asText()));
                edit.components(components);
            }
            case "summary" -> edit.summary(value.asText());
            case "description" -> {
                if (!value.isObject() || !"doc".equals(value.path("type").asText())) {
                    throw new JiraRequestException(400, List.of(),
                            Map.of("description", "Operation value must be an Atlassian Document (see the Atlassian Document Format)"));
                }
                edit.description(value);
            }
            default -> throw JiraRequestException.fieldError(name, "Field '" + name
                    + "' cannot be set. It is not on the appropriate screen, or unknown.");
        }
    }

    private static List<String> strings(JsonNode array) {
        if (!array.isArray()) {
            throw JiraRequestException.fieldError("labels", "Expected an array of labels");
        }
        List<String> values = new ArrayList<>();
        array.forEach(item -> values.add(item.asText()));
        return values;
    }
}
