package com.triageassistant.jira.generator;

import java.time.Instant;
import java.util.List;

/**
 * A person in a generated project.
 *
 * @param specialities topics (component names) this person tends to be assigned; empty for reporters-only
 * @param joined       first day they could be assigned
 * @param left         the day they left, or {@code null}; a person who left is no longer assignable
 * @param assignee     whether this person ever takes issues (some people only report)
 */
public record GeneratedUser(String accountId, String displayName, List<String> specialities,
                            Instant joined, Instant left, boolean assignee) {

    public boolean activeAt(Instant when) {
        return !when.isBefore(joined) && (left == null || when.isBefore(left));
    }

    public boolean assignableNow() {
        return assignee && left == null;
    }
}
