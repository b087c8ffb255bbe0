package com.triageassistant.ingest;

import java.util.List;
import java.util.Set;

/**
 * Webhooks brought newer versions of these issues of one project into the store.
 *
 * @param change who changed what, as the webhook told it
 */
public record IssuesChanged(String clientKey, String projectKey, List<Long> issueIds, Change change) {

    /**
     * @param actorAccountId the person (or app) whose action Jira reported; null when Jira named nobody
     * @param byApp          the actor is an app account (this app's own writes among them), not a person
     * @param created        the issue was created, not edited
     * @param fields         ids of the fields the changelog names ({@code assignee}, {@code priority},
     *                       {@code labels}, {@code components}, ...); empty on creation
     */
    public record Change(String actorAccountId, boolean byApp, boolean created, Set<String> fields) {

        public Change {
            fields = Set.copyOf(fields);
        }

        public boolean byPerson() {
            return actorAccountId != null && !byApp;
        }
    }
}
