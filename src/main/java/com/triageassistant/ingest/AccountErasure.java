package com.triageassistant.ingest;

import java.time.Instant;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;

/**
 * The one way an account is erased from a tenant's data, whoever learnt it was closed: a {@code user_deleted}
 * webhook or the Personal Data Reporting API. The issue store forgets it as assignee and reporter (and keeps a hash
 * so late deliveries cannot bring it back), the inbox's pending payloads drop it, and {@link AccountErased} tells
 * every other feature to forget it too; its listeners run synchronously, so the erasure is complete on return.
 * Idempotent: erasing an account twice changes nothing more.
 */
@Service
public class AccountErasure {

    private final IssueStore issues;
    private final WebhookInbox inbox;
    private final ApplicationEventPublisher events;

    AccountErasure(IssueStore issues, WebhookInbox inbox, ApplicationEventPublisher events) {
        this.issues = issues;
        this.inbox = inbox;
        this.events = events;
    }

    /** @param at when Jira erased it: deliveries older than this cannot name the account again */
    public void erase(String clientKey, String accountId, Instant at) {
        issues.eraseAccount(clientKey, accountId, at);
        inbox.scrubAccount(clientKey, accountId);
        events.publishEvent(new AccountErased(clientKey, accountId));
    }
}
