package com.triageassistant.jira.emulator;

/**
 * A Jira account on an emulated site. A user who left the company is inactive: Jira no longer lets anyone
 * assign them. A deleted user (GDPR erasure) keeps the accountId on old issues, shown as "Former user".
 */
public final class EmulatedUser {

    private final String accountId;
    private final boolean app;
    private volatile String displayName;
    private volatile boolean active;
    private volatile boolean deleted;

    EmulatedUser(String accountId, String displayName, boolean active) {
        this(accountId, displayName, active, false);
    }

    EmulatedUser(String accountId, String displayName, boolean active, boolean app) {
        this.accountId = accountId;
        this.app = app;
        this.displayName = displayName;
        this.active = active;
    }

    public String accountId() {
        return accountId;
    }

    /** Jira's {@code accountType}: an installed app acts through an account of type {@code app}. */
    public String accountType() {
        return app ? "app" : "atlassian";
    }

    public String displayName() {
        return deleted ? "Former user" : displayName;
    }

    public boolean active() {
        return active && !deleted;
    }

    public boolean deleted() {
        return deleted;
    }

    void deactivate() {
        active = false;
    }

    void markDeleted() {
        deleted = true;
        active = false;
    }
}
