package com.triageassistant.suggest;

/** What the app does on its own with a new issue's top suggestion. */
public enum AutoApplyMode {
    /** Nothing: suggestions are only shown. */
    OFF,
    /** Records what it would have applied, so an admin can see how often that would have been right. */
    SHADOW,
    /** Writes the value to Jira as the app. */
    ON
}
