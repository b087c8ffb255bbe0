package com.triageassistant.jira.emulator;

import java.util.List;

/** What Jira turns into webhooks. */
interface SiteEvents {

    void issueCreated(EmulatedIssue issue, EmulatedUser actor);

    void issueUpdated(EmulatedIssue issue, EmulatedUser actor, List<ChangeItem> changes);

    void issueDeleted(EmulatedIssue issue, EmulatedUser actor);

    void projectDeleted(EmulatedProject project);

    void userDeleted(String accountId);
}
