package com.triageassistant.jira.emulator;

import java.time.Clock;
import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Turns site events into Jira's webhook payloads and hands them to the dispatcher. */
final class WebhookPayloads implements SiteEvents {

    private final JiraJson json;
    private final WebhookDispatcher dispatcher;
    private final Clock clock;
    private long changelogId = 100_000;

    WebhookPayloads(JiraJson json, WebhookDispatcher dispatcher, Clock clock) {
        this.json = json;
        this.dispatcher = dispatcher;
        this.clock = clock;
    }

    @Override
    public void issueCreated(EmulatedIssue issue, EmulatedUser actor) {
        dispatcher.dispatch("jira:issue_created", issueEvent("jira:issue_created", "issue_created", issue, actor));
    }

    @Override
    public synchronized void issueUpdated(EmulatedIssue issue, EmulatedUser actor, List<ChangeItem> changes) {
        boolean onlyAssignee = changes.stream().allMatch(change -> change.fieldId().equals("assignee"));
        ObjectNode payload = issueEvent("jira:issue_updated", onlyAssignee ? "issue_assigned" : "issue_updated",
                issue, actor);
        ObjectNode changelog = payload.putObject("changelog");
        changelog.put("id", String.valueOf(changelogId++));
        ArrayNode items = changelog.putArray("items");
        for (ChangeItem change : changes) {
            items.addObject().put("field", change.field()).put("fieldtype", "jira").put("fieldId", change.fieldId())
                    .put("from", change.from()).put("fromString", change.fromString())
                    .put("to", change.to()).put("toString", change.toText());
        }
        dispatcher.dispatch("jira:issue_updated", payload);
    }

    @Override
    public void issueDeleted(EmulatedIssue issue, EmulatedUser actor) {
        dispatcher.dispatch("jira:issue_deleted", issueEvent("jira:issue_deleted", "issue_deleted", issue, actor));
    }

    @Override
    public void projectDeleted(EmulatedProject project) {
        ObjectNode payload = envelope("project_deleted");
        payload.set("project", json.project(project));
        dispatcher.dispatch("project_deleted", payload);
    }

    @Override
    public void userDeleted(String accountId) {
        ObjectNode payload = envelope("user_deleted");
        payload.putObject("user").put("accountId", accountId);
        dispatcher.dispatch("user_deleted", payload);
    }

    private ObjectNode issueEvent(String event, String typeName, EmulatedIssue issue, EmulatedUser actor) {
        ObjectNode payload = envelope(event);
        payload.put("issue_event_type_name", typeName);
        payload.set("user", json.user(actor));
        payload.set("issue", json.issue(issue, null));
        return payload;
    }

    private ObjectNode envelope(String event) {
        ObjectNode payload = JiraJson.MAPPER.createObjectNode();
        payload.put("timestamp", clock.millis());
        payload.put("webhookEvent", event);
        return payload;
    }
}
