package com.triageassistant.suggest;

import com.triageassistant.ingest.AccountErased;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Jira erased a person: suggestions, feedback, auto-apply records and excluded values stop naming them. */
@Component
class ErasedAccounts {

    private final SuggestionStore suggestions;
    private final FeedbackStore feedback;
    private final AutoApplyStore autoApplied;
    private final TargetSettingsStore settings;

    ErasedAccounts(SuggestionStore suggestions, FeedbackStore feedback, AutoApplyStore autoApplied,
                   TargetSettingsStore settings) {
        this.suggestions = suggestions;
        this.feedback = feedback;
        this.autoApplied = autoApplied;
        this.settings = settings;
    }

    @EventListener
    void onAccountErased(AccountErased event) {
        suggestions.forgetAccount(event.clientKey(), event.accountId());
        feedback.forgetValue(event.clientKey(), "assignee", event.accountId());
        autoApplied.forgetValue(event.clientKey(), "assignee", event.accountId());
        settings.forgetExcluded(event.clientKey(), "assignee", event.accountId());
    }
}
