package com.triageassistant.jira.generator;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One issue as Jira would hold it after its history: the final field values.
 *
 * @param description ADF document ({@code {"type":"doc","version":1,"content":[...]}})
 * @param priority    priority name (one of {@link GeneratedProject#priorities()})
 * @param assignee    accountId, or {@code null} when unassigned
 * @param noisy       per target, whether this issue's value ignored the pattern (ground truth for evaluation)
 */
public record GeneratedIssue(long id, String key, String issueType, String summary, JsonNode description,
                             List<String> components, List<String> labels, String priority, String assignee,
                             String reporter, Instant created, Instant updated, NoiseFlags noisy) {

    /** Which of this issue's fields were drawn at random instead of from the pattern. */
    public record NoiseFlags(boolean assignee, boolean labels, boolean priority) {
    }
}
