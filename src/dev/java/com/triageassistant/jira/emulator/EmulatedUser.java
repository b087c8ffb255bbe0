package com.triageassistant.jira.emulator;

/**
 * A Jira account on an emulated site. A user who left the company is inactive: Jira no longer lets anyone
 * assign them. A deleted user (GDPR erasure) keeps the accountId on old issues, shown as "Former user".
 */
public final class EmulatedUser {

    private final String accountId;
    private volatile String displayName;
    private volatile boolean active;
    private volatile boolean deleted;

    EmulatedUser(String accountId, String displayName, boolean active) {
        this.accountId = accountId;
        this.displayName = displayName;
        this.active = active;
    }

    public String accountId() {
        return accountId;
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
