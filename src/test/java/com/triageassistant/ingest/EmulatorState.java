package com.triageassistant.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.triageassistant.jira.emulator.EmulatedIssue;
import com.triageassistant.jira.emulator.EmulatedSite;

/** Compares what the app stored for a project with what the emulated Jira site holds. */
public final class EmulatorState {

    private EmulatorState() {
    }

    public static IssueRecord expected(EmulatedIssue issue) {
        return new IssueRecord(issue.id(), issue.key(), issue.projectKey(), issue.summary(),
                AdfText.of(issue.description()), issue.issueType(), issue.components(), issue.labels(),
                issue.priority(), issue.assignee(), issue.reporter(), issue.created(), issue.updated());
    }

    /** Every live issue of the project in the store equals Jira's, and nothing else is live. */
    public static void assertStoreMatches(IssueStore store, String clientKey, EmulatedSite site, String projectKey) {
        Map<Long, IssueRecord> stored = store.projectIssues(clientKey, projectKey).stream()
                .collect(Collectors.toMap(IssueRecord::issueId, Function.identity()));
        List<IssueRecord> expected = site.issues(projectKey).stream().map(EmulatorState::expected).toList();
        assertThat(stored.keySet()).containsExactlyInAnyOrderElementsOf(
                expected.stream().map(IssueRecord::issueId).toList());
        for (IssueRecord issue : expected) {
            assertThat(stored.get(issue.issueId())).as(issue.issueKey()).isEqualTo(issue);
        }
    }
}
