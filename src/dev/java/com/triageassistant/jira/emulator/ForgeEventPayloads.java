package com.triageassistant.jira.emulator;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Turns site events into the bodies of Forge's Jira events (Atlassian's "Jira events" page) and hands them to the
 * site's Forge app, which sends one per trigger that lists the event. Unlike a webhook's, a Forge event's issue holds
 * only the fields that page lists: no description, labels, components or priority.
 */
final class ForgeEventPayloads implements SiteEvents {

    static final String ISSUE_CREATED = "avi:jira:created:issue";
    static final String ISSUE_UPDATED = "avi:jira:updated:issue";
    static final String ISSUE_DELETED = "avi:jira:deleted:issue";
    static final String PROJECT_DELETED = "avi:jira:deleted:project";
    static final String USER_DELETED = "avi:jira:deleted:user";
    /** The issue fields a Forge issue event carries. */
    private static final List<String> EVENT_FIELDS = List.of("summary", "issuetype", "creator", "created", "project",
            "reporter", "assignee", "updated", "status");

    private final JiraJson json;
    private final SiteForgeApp forge;
    /** Counts as {@link WebhookPayloads} does, so an update's changelog id is the same in both. */
    private long changelogId = 100_000;

    ForgeEventPayloads(JiraJson json, SiteForgeApp forge) {
        this.json = json;
        this.forge = forge;
    }

    @Override
    public void issueCreated(EmulatedIssue issue, EmulatedUser actor) {
        if (forge.installation().isPresent()) {
            forge.event(ISSUE_CREATED, issueEvent(ISSUE_CREATED, issue, actor));
        }
    }

    @Override
    public synchronized void issueUpdated(EmulatedIssue issue, EmulatedUser actor, List<ChangeItem> changes) {
        long id = changelogId++;
        if (forge.installation().isEmpty()) {
            // Most sites have no Forge app; only the changelog id must keep in step with the webhooks'.
            return;
        }
        ObjectNode body = issueEvent(ISSUE_UPDATED, issue, actor);
        ObjectNode changelog = body.putObject("changelog");
        changelog.put("id", String.valueOf(id));
        ArrayNode items = changelog.putArray("items");
        for (ChangeItem change : changes) {
            items.addObject().put("field", change.field()).put("fieldId", change.fieldId()).put("fieldtype", "jira")
                    .put("from", change.from()).put("fromString", change.fromString())
                    .put("to", change.to()).put("toString", change.toText());
        }
        forge.event(ISSUE_UPDATED, body);
    }

    @Override
    public void issueDeleted(EmulatedIssue issue, EmulatedUser actor) {
        if (forge.installation().isPresent()) {
            forge.event(ISSUE_DELETED, issueEvent(ISSUE_DELETED, issue, actor));
        }
    }

    /** Jira records no actor for a project deletion here; only a site admin deletes projects: the installer. */
    @Override
    public void projectDeleted(EmulatedProject project) {
        forge.installation().ifPresent(installation -> {
            ObjectNode body = JiraJson.MAPPER.createObjectNode().put("eventType", PROJECT_DELETED)
                    .put("atlassianId", installation.installerAccountId());
            body.putObject("project").put("id", String.valueOf(project.id())).put("key", project.key())
                    .put("name", project.name());
            forge.event(PROJECT_DELETED, body);
        });
    }

    @Override
    public void userDeleted(String accountId) {
        forge.installation().ifPresent(installation -> {
            ObjectNode body = JiraJson.MAPPER.createObjectNode().put("eventType", USER_DELETED);
            body.putObject("user").put("accountId", accountId);
            forge.event(USER_DELETED, body);
        });
    }

    private ObjectNode issueEvent(String eventType, EmulatedIssue issue, EmulatedUser actor) {
        ObjectNode body = JiraJson.MAPPER.createObjectNode().put("eventType", eventType)
                .put("atlassianId", actor.accountId());
        ObjectNode rendered = json.issue(issue, null);
        ObjectNode forgeIssue = body.putObject("issue").put("id", rendered.path("id").asText())
                .put("key", rendered.path("key").asText());
        ObjectNode fields = forgeIssue.putObject("fields");
        EVENT_FIELDS.forEach(field -> {
            if (rendered.path("fields").has(field)) {
                fields.set(field, rendered.path("fields").get(field));
            }
        });
        Set<String> associated = new LinkedHashSet<>();
        associated.add(actor.accountId());
        if (issue.assignee() != null) {
            associated.add(issue.assignee());
        }
        associated.add(issue.reporter());
        ArrayNode users = body.putArray("associatedUsers");
        associated.forEach(accountId -> users.addObject().put("accountId", accountId));
        return body;
    }
}
