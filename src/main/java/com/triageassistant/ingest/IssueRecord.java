package com.triageassistant.ingest;

import java.time.Instant;
import java.util.List;

/**
 * An issue as the app stores it: the fields the models learn from, in plain text, with Jira's {@code updated}
 * deciding which of two versions is newer.
 */
public record IssueRecord(long issueId, String issueKey, String projectKey, String summary, String text,
                          String issueType, List<String> components, List<String> labels, String priority,
                          String assignee, String reporter, Instant created, Instant updated) {

    public IssueRecord {
        components = List.copyOf(components);
        labels = List.copyOf(labels);
    }

    /** The issue's values of a suggestion target ({@code assignee}, {@code priority}, {@code labels},
     * {@code components}); at most one for the single-valued ones. */
    public List<String> valuesOf(String target) {
        return switch (target) {
            case "assignee" -> assignee == null ? List.of() : List.of(assignee);
            case "priority" -> priority == null ? List.of() : List.of(priority);
            case "labels" -> labels;
            case "components" -> components;
            default -> throw new IllegalArgumentException("unknown target " + target);
        };
    }

    IssueRecord withAccounts(String newAssignee, String newReporter) {
        return new IssueRecord(issueId, issueKey, projectKey, summary, text, issueType, components, labels, priority,
                newAssignee, newReporter, created, updated);
    }
}
