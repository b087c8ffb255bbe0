package com.triageassistant.jira.emulator;

import java.util.List;

/** What Jira turns into webhooks and Forge events. */
interface SiteEvents {

    void issueCreated(EmulatedIssue issue, EmulatedUser actor);

    void issueUpdated(EmulatedIssue issue, EmulatedUser actor, List<ChangeItem> changes);

    void issueDeleted(EmulatedIssue issue, EmulatedUser actor);

    void projectDeleted(EmulatedProject project);

    void userDeleted(String accountId);

    /** Every event to each listener in turn: a site feeds its Connect webhooks and its Forge app alike. */
    static SiteEvents all(SiteEvents... listeners) {
        List<SiteEvents> each = List.of(listeners);
        return new SiteEvents() {
            @Override
            public void issueCreated(EmulatedIssue issue, EmulatedUser actor) {
                each.forEach(listener -> listener.issueCreated(issue, actor));
            }

            @Override
            public void issueUpdated(EmulatedIssue issue, EmulatedUser actor, List<ChangeItem> changes) {
                each.forEach(listener -> listener.issueUpdated(issue, actor, changes));
            }

            @Override
            public void issueDeleted(EmulatedIssue issue, EmulatedUser actor) {
                each.forEach(listener -> listener.issueDeleted(issue, actor));
            }

            @Override
            public void projectDeleted(EmulatedProject project) {
                each.forEach(listener -> listener.projectDeleted(project));
            }

            @Override
            public void userDeleted(String accountId) {
                each.forEach(listener -> listener.userDeleted(accountId));
            }
        };
    }
}
