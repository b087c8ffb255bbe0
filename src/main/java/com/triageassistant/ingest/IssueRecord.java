package com.triageassistant.ingest;

import java.time.Instant;
import java.util.List;

/**
 * An issue as the app stores it: the fields the models learn from, in plain text, with Jira's {@code updated}
 * deciding which of two versions is newer. Its text is always well-formed UTF-16: an unpaired surrogate in any field
 * becomes U+FFFD ({@link WellFormedText}), so the issue is stored, read back and sent to the sidecar as it is here.
 */
public record IssueRecord(long issueId, String issueKey, String projectKey, String summary, String text,
                          String issueType, List<String> components, List<String> labels, String priority,
                          String assignee, String reporter, Instant created, Instant updated) {

    public IssueRecord {
        issueKey = WellFormedText.of(issueKey);
        projectKey = WellFormedText.of(projectKey);
        summary = WellFormedText.of(summary);
        text = WellFormedText.of(text);
        issueType = WellFormedText.of(issueType);
        components = WellFormedText.of(components);
        labels = WellFormedText.of(labels);
        priority = WellFormedText.of(priority);
        assignee = WellFormedText.of(assignee);
        reporter = WellFormedText.of(reporter);
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
