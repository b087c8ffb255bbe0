package com.triageassistant.jira.emulator;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An issue's current state. Instances are immutable; every change makes a new one with a later {@code updated}.
 *
 * @param description ADF document
 * @param assignee    accountId or {@code null}
 * @param priority    priority name
 */
public record EmulatedIssue(long id, String key, String projectKey, String issueType, String summary,
                            JsonNode description, List<String> components, List<String> labels, String priority,
                            String assignee, String reporter, Instant created, Instant updated) {

    public EmulatedIssue {
        components = List.copyOf(components);
        labels = List.copyOf(labels);
    }

    EmulatedIssue withAssignee(String accountId, Instant at) {
        return new EmulatedIssue(id, key, projectKey, issueType, summary, description, components, labels, priority,
                accountId, reporter, created, at);
    }

    EmulatedIssue withPriority(String name, Instant at) {
        return new EmulatedIssue(id, key, projectKey, issueType, summary, description, components, labels, name,
                assignee, reporter, created, at);
    }

    EmulatedIssue withLabels(List<String> newLabels, Instant at) {
        return new EmulatedIssue(id, key, projectKey, issueType, summary, description, components, newLabels,
                priority, assignee, reporter, created, at);
    }

    EmulatedIssue withComponents(List<String> newComponents, Instant at) {
        return new EmulatedIssue(id, key, projectKey, issueType, summary, description, newComponents, labels,
                priority, assignee, reporter, created, at);
    }

    EmulatedIssue withSummary(String newSummary, Instant at) {
        return new EmulatedIssue(id, key, projectKey, issueType, newSummary, description, components, labels,
                priority, assignee, reporter, created, at);
    }

    EmulatedIssue withDescription(JsonNode adf, Instant at) {
        return new EmulatedIssue(id, key, projectKey, issueType, summary, adf, components, labels, priority,
                assignee, reporter, created, at);
    }
}
