package com.triageassistant.ingest;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/** Reads Jira's issue JSON (webhook {@code issue} or a search/jql result) into an {@link IssueRecord}. */
final class JiraIssueParser {

    /** The fields the app asks Jira for. */
    static final String FIELDS = "summary,description,issuetype,project,components,labels,priority,assignee,reporter,"
            + "created,updated";

    /** Jira writes {@code 2024-03-01T09:15:00.000+0000}: an offset without a colon. */
    private static final DateTimeFormatter JIRA_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");

    private JiraIssueParser() {
    }

    /** @throws InvalidPayloadException when the JSON is not an issue */
    static IssueRecord parse(JsonNode issue, String fallbackProjectKey) {
        long id = requiredLong(issue.path("id"), "issue.id");
        String key = required(issue.path("key"), "issue.key");
        JsonNode fields = issue.path("fields");
        if (!fields.isObject()) {
            throw new InvalidPayloadException("issue.fields missing");
        }
        String project = fields.path("project").path("key").asText(null);
        if (project == null) {
            project = fallbackProjectKey != null ? fallbackProjectKey : key.substring(0, Math.max(0, key.lastIndexOf('-')));
        }
        if (project.isEmpty()) {
            throw new InvalidPayloadException("issue key " + key + " names no project");
        }
        return new IssueRecord(id, key, project, fields.path("summary").asText(""),
                AdfText.of(fields.get("description")), fields.path("issuetype").path("name").asText(null),
                names(fields.path("components")), strings(fields.path("labels")),
                fields.path("priority").path("name").asText(null),
                fields.path("assignee").path("accountId").asText(null),
                fields.path("reporter").path("accountId").asText(null),
                time(fields.path("created"), "created"), requiredTime(fields.path("updated")));
    }

    static Instant requiredTime(JsonNode value) {
        Instant time = time(value, "updated");
        if (time == null) {
            throw new InvalidPayloadException("issue.fields.updated missing");
        }
        return time;
    }

    private static Instant time(JsonNode value, String name) {
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        try {
            return JIRA_TIME.parse(value.asText(), Instant::from);
        } catch (DateTimeParseException e) {
            throw new InvalidPayloadException("issue.fields." + name + " is not a Jira timestamp: " + value.asText());
        }
    }

    private static List<String> names(JsonNode array) {
        List<String> names = new ArrayList<>();
        for (JsonNode item : array) {
            String name = item.path("name").asText(null);
            if (name != null) {
                names.add(name);
            }
        }
        return names;
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        for (JsonNode item : array) {
            if (item.isTextual()) {
                values.add(item.asText());
            }
        }
        return values;
    }

    private static String required(JsonNode value, String name) {
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new InvalidPayloadException(name + " missing");
        }
        return value.asText();
    }

    private static long requiredLong(JsonNode value, String name) {
        if (value.isIntegralNumber()) {
            return value.asLong();
        }
        try {
            return Long.parseLong(required(value, name));
        } catch (NumberFormatException e) {
            throw new InvalidPayloadException(name + " is not a number: " + value.asText());
        }
    }
}
