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

    IssueRecord withAccounts(String newAssignee, String newReporter) {
        return new IssueRecord(issueId, issueKey, projectKey, summary, text, issueType, components, labels, priority,
                newAssignee, newReporter, created, updated);
    }
}
