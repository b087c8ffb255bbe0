package com.triageassistant.ingest;

import org.springframework.stereotype.Component;

/**
 * The one way an event from Jira enters the app, whichever door it came through: written durably to the inbox
 * (once per delivery id), the workers woken, and only then may the sender be answered.
 */
@Component
public class InboxIntake {

    /**
     * Set in a payload whose issue carries only some of the fields the app stores (Forge's issue events): the issue
     * is read from Jira when the delivery is processed, which also gives Jira's latest state.
     */
    public static final String FETCH_ISSUE = "fetchIssue";

    private final WebhookInbox inbox;
    private final InboxWorker worker;

    InboxIntake(WebhookInbox inbox, InboxWorker worker) {
        this.inbox = inbox;
        this.worker = worker;
    }

    /**
     * @param event   Jira's webhook event name ({@code jira:issue_created}, ...): the payload has the webhook's shape
     * @return false when this delivery id was already accepted (a duplicate or a retry): nothing changed
     */
    public boolean accept(String clientKey, String deliveryId, String event, String payload) {
        if (WebhookEvent.byJiraName(event).isEmpty()) {
            throw new IllegalArgumentException("not an event the app handles: " + event);
        }
        boolean accepted = inbox.accept(clientKey, deliveryId, event, payload);
        if (accepted) {
            worker.wakeUp();
        }
        return accepted;
    }
}
