package com.triageassistant.ingest;

import java.util.Arrays;
import java.util.Optional;

/** The Jira webhooks the app subscribes to, by the path segment the descriptor gives each. */
enum WebhookEvent {
    ISSUE_CREATED("issue-created", "jira:issue_created"),
    ISSUE_UPDATED("issue-updated", "jira:issue_updated"),
    ISSUE_DELETED("issue-deleted", "jira:issue_deleted"),
    PROJECT_DELETED("project-deleted", "project_deleted"),
    USER_DELETED("user-deleted", "user_deleted");

    private final String path;
    private final String jiraName;

    WebhookEvent(String path, String jiraName) {
        this.path = path;
        this.jiraName = jiraName;
    }

    String jiraName() {
        return jiraName;
    }

    static Optional<WebhookEvent> byPath(String path) {
        return Arrays.stream(values()).filter(event -> event.path.equals(path)).findFirst();
    }

    static Optional<WebhookEvent> byJiraName(String name) {
        return Arrays.stream(values()).filter(event -> event.jiraName.equals(name)).findFirst();
    }
}
