package com.triageassistant.suggest;

import com.triageassistant.ingest.AccountErased;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Jira erased a person: suggestions, feedback and auto-apply records stop naming them. */
@Component
class ErasedAccounts {

    private final SuggestionStore suggestions;
    private final FeedbackStore feedback;
    private final AutoApplyStore autoApplied;

    ErasedAccounts(SuggestionStore suggestions, FeedbackStore feedback, AutoApplyStore autoApplied) {
        this.suggestions = suggestions;
        this.feedback = feedback;
        this.autoApplied = autoApplied;
    }

    @EventListener
    void onAccountErased(AccountErased event) {
        suggestions.forgetAccount(event.clientKey(), event.accountId());
        feedback.forgetValue(event.clientKey(), "assignee", event.accountId());
        autoApplied.forgetValue(event.clientKey(), "assignee", event.accountId());
    }
}
