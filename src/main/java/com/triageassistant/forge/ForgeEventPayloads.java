package com.triageassistant.forge;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.triageassistant.Sha256;
import com.triageassistant.ingest.InboxIntake;
import org.springframework.stereotype.Component;

/**
 * Forge's Jira events in the shape of the webhooks the inbox already processes, so that nothing behind the inbox knows
 * which door an event came through. Two differences are bridged: Forge's issue carries only some fields (no
 * description, labels, components or priority: the inbox reads the issue from Jira, see
 * {@link InboxIntake#FETCH_ISSUE}), and it has no delivery identifier: a retry repeats the body with a
 * {@code retryContext} added, so the body without it identifies the delivery, and a retry or duplicate is stored once.
 * Atlassian's pages show the event both at the top level and wrapped in {@code payload}; both are read.
 */
@Component
class ForgeEventPayloads {

    /** A Forge event as the inbox takes it. */
    record InboxEvent(String deliveryId, String webhookEvent, String payload) {
    }

    private static final Map<String, String> WEBHOOK_EVENTS = Map.of(
            "avi:jira:created:issue", "jira:issue_created",
            "avi:jira:updated:issue", "jira:issue_updated",
            "avi:jira:deleted:issue", "jira:issue_deleted",
            "avi:jira:deleted:project", "project_deleted",
            "avi:jira:deleted:user", "user_deleted");

    private final ObjectMapper json;

    ForgeEventPayloads(ObjectMapper json) {
        this.json = json;
    }

    /**
     * @param receivedAt    the event's time where a webhook would carry {@code timestamp} (Forge's body has none)
     * @param appAccountId  the app's own account on the site, so its own edits are not taken for a person's
     * @return empty for an event the app does not handle
     */
    Optional<InboxEvent> toInbox(ObjectNode delivered, Instant receivedAt, String appAccountId) {
        ObjectNode body = unwrapped(delivered);
        String eventType = body.path("eventType").asText("");
        String webhookEvent = WEBHOOK_EVENTS.get(eventType);
        if (webhookEvent == null) {
            return Optional.empty();
        }
        ObjectNode identity = body.deepCopy();
        identity.remove("retryContext");
        String deliveryId = "forge:" + Sha256.hex(write(identity));

        ObjectNode webhook = json.createObjectNode();
        webhook.put("timestamp", receivedAt.toEpochMilli());
        webhook.put("webhookEvent", webhookEvent);
        String actor = body.path("atlassianId").asText(null);
        if (eventType.equals("avi:jira:deleted:user")) {
            copy(body, webhook, "user"); // the person deleted, as in the webhook
        } else if (actor != null) {
            webhook.putObject("user").put("accountId", actor)
                    .put("accountType", actor.equals(appAccountId) ? "app" : "atlassian");
        }
        copy(body, webhook, "issue");
        copy(body, webhook, "changelog");
        copy(body, webhook, "project");
        if (webhook.has("issue") && !eventType.equals("avi:jira:deleted:issue")) {
            webhook.put(InboxIntake.FETCH_ISSUE, true);
        }
        return Optional.of(new InboxEvent(deliveryId, webhookEvent, write(webhook)));
    }

    /** The event itself: the body, or its {@code payload} when the body wraps it. */
    static ObjectNode unwrapped(ObjectNode body) {
        return !body.has("eventType") && body.get("payload") instanceof ObjectNode payload ? payload : body;
    }

    private static void copy(ObjectNode from, ObjectNode to, String field) {
        JsonNode value = from.get(field);
        if (value != null && !value.isNull()) {
            to.set(field, value);
        }
    }

    private String write(JsonNode node) {
        try {
            return json.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
