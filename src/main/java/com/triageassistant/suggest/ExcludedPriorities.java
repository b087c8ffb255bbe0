package com.triageassistant.suggest;

import java.util.ArrayList;
import java.util.List;

import com.triageassistant.ml.PriorityPlaceholders;
import org.springframework.stereotype.Component;

/** A project's excluded priorities are its placeholders: never suggested, so never worth learning either. */
@Component
class ExcludedPriorities implements PriorityPlaceholders {

    /** Jira's own "no priority" value, which some schemes keep as a real option. */
    static final String JIRA_NONE = "None";

    private final TargetSettingsStore settings;

    ExcludedPriorities(TargetSettingsStore settings) {
        this.settings = settings;
    }

    @Override
    public List<String> of(String clientKey, String projectKey) {
        List<String> placeholders = new ArrayList<>(List.of(JIRA_NONE));
        placeholders.addAll(settings.get(clientKey, projectKey, "priority").excluded());
        return placeholders;
    }
}
