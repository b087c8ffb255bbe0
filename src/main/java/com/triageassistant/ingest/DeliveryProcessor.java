package com.triageassistant.ingest;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.atlassian.connect.spring.AtlassianHost;
import com.atlassian.connect.spring.AtlassianHostRepository;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/** Applies one webhook delivery to the tenant's data. Idempotent: applying it twice changes nothing more. */
@Component
class DeliveryProcessor {

    private final IssueStore issues;
    private final AccountErasure accounts;
    private final BackfillRepository backfills;
    private final ObjectMapper json;
    private final ApplicationEventPublisher events;
    private final JiraClient jira;
    private final AtlassianHostRepository hosts;

    DeliveryProcessor(IssueStore issues, AccountErasure accounts, BackfillRepository backfills, ObjectMapper json,
                      ApplicationEventPublisher events, JiraClient jira, AtlassianHostRepository hosts) {
        this.jira = jira;
        this.hosts = hosts;
        this.events = events;
        this.issues = issues;
        this.accounts = accounts;
        this.backfills = backfills;
        this.json = json;
    }

    void process(WebhookInbox.Delivery delivery) {
        JsonNode payload = parse(delivery.payload());
        String clientKey = delivery.clientKey();
        WebhookEvent event = WebhookEvent.byJiraName(delivery.event())
                .orElseThrow(() -> new InvalidPayloadException("unknown event " + delivery.event()));
        switch (event) {
            case ISSUE_CREATED, ISSUE_UPDATED -> {
                JsonNode issue = payload.path(InboxIntake.FETCH_ISSUE).asBoolean(false)
                        ? currentIssue(clientKey, payload.path("issue")) : payload.path("issue");
                if (issue == null) {
                    return; // deleted meanwhile: its deletion event tells the store
                }
                IssueRecord record = JiraIssueParser.parse(issue, null);
                if (issues.upsert(clientKey, List.of(record)) > 0) {
                    events.publishEvent(new IssuesChanged(clientKey, record.projectKey(), List.of(record.issueId()),
                            change(payload, event == WebhookEvent.ISSUE_CREATED)));
                }
            }
            case ISSUE_DELETED -> {
                JsonNode issue = payload.path("issue");
                IssueRecord known = JiraIssueParser.parse(issue, null);
                Instant deletedAt = eventTime(payload);
                Instant at = deletedAt.isAfter(known.updated()) ? deletedAt : known.updated().plusMillis(1);
                issues.markDeleted(clientKey, known.issueId(), known.issueKey(), known.projectKey(), at);
            }
            case PROJECT_DELETED -> {
                String projectKey = payload.path("project").path("key").asText(null);
                if (projectKey == null || projectKey.isBlank()) {
                    throw new InvalidPayloadException("project.key missing");
                }
                issues.deleteProject(clientKey, projectKey, eventTime(payload));
                backfills.delete(clientKey, projectKey);
            }
            case USER_DELETED -> {
                String accountId = payload.path("user").path("accountId").asText(null);
                if (accountId == null || accountId.isBlank()) {
                    throw new InvalidPayloadException("user.accountId missing");
                }
                accounts.erase(clientKey, accountId, eventTime(payload));
            }
        }
    }

    /** The issue as Jira has it now, or null if Jira no longer has it. */
    private JsonNode currentIssue(String clientKey, JsonNode partial) {
        long issueId = partial.path("id").asLong(0);
        if (issueId <= 0) {
            throw new InvalidPayloadException("issue.id missing");
        }
        AtlassianHost host = hosts.findById(clientKey).filter(AtlassianHost::isAddonInstalled)
                .orElseThrow(() -> new InvalidPayloadException("the tenant is not installed"));
        try {
            return jira.issue(host, issueId);
        } catch (JiraCallException.Refused e) {
            if (e.status() == 404) {
                return null;
            }
            if (e.status() == 401) {
                // the app token ran out or was revoked between the check and the call: wait for the next one
                throw new JiraUnreachable("Jira refused the app's token", null);
            }
            throw new InvalidPayloadException("Jira refused to show the issue: " + e.status());
        } catch (JiraCallException.RateLimited e) {
            throw new JiraUnreachable(e.getMessage(), e.retryAfter());
        } catch (JiraCallException e) {
            throw new JiraUnreachable(e.getMessage(), null);
        }
    }

    private static IssuesChanged.Change change(JsonNode payload, boolean created) {
        JsonNode user = payload.path("user");
        Set<String> fields = new HashSet<>();
        payload.path("changelog").path("items").forEach(item -> fields.add(item.path("fieldId").asText(
                item.path("field").asText())));
        return new IssuesChanged.Change(user.path("accountId").asText(null),
                "app".equals(user.path("accountType").asText()), created, fields);
    }

    private JsonNode parse(String payload) {
        if (payload == null) {
            throw new InvalidPayloadException("payload missing");
        }
        try {
            return json.readTree(payload);
        } catch (JsonProcessingException e) {
            throw new InvalidPayloadException("payload is not JSON");
        }
    }

    private static Instant eventTime(JsonNode payload) {
        JsonNode timestamp = payload.path("timestamp");
        if (!timestamp.canConvertToLong()) {
            throw new InvalidPayloadException("timestamp missing");
        }
        return Instant.ofEpochMilli(timestamp.asLong());
    }
}
