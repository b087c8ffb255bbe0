package com.triageassistant.privacy;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.triageassistant.store.IgniteSql;
import org.springframework.stereotype.Component;

/**
 * Every accountId the app stores for a tenant, with the last time the app wrote something naming it (the
 * {@code updatedAt} Jira is told). Where account ids live:
 * <ul>
 * <li>{@code issue}: assignee and reporter;</li>
 * <li>{@code suggestion}: suggested assignees and {@code reporter:<id>} reasons;</li>
 * <li>{@code feedback}, {@code auto_apply}: assignee values suggested, chosen or applied;</li>
 * <li>{@code target_settings}: assignees excluded from suggestions.</li>
 * </ul>
 * Not read here: pending {@code webhook_inbox} payloads (processed within seconds into the tables above, and scrubbed
 * on erasure) and model artifacts (trained from the issue rows above; erasure drops those naming the
 * account, see {@code ml.ErasedAccountModels}). {@code erased_account} and {@code account_refresh} hold only hashes.
 */
@Component
class StoredAccounts {

    private static final String REPORTER_REASON = "reporter:";

    private final IgniteSql sql;
    private final ObjectMapper json;

    StoredAccounts(IgniteSql sql, ObjectMapper json) {
        this.sql = sql;
        this.json = json;
    }

    Map<String, Instant> lastSeen(String clientKey) {
        Map<String, Instant> seen = new HashMap<>();
        for (String column : new String[] {"assignee", "reporter"}) {
            // Column names are the two literals above, never input.
            sql.query("SELECT " + column + ", MAX(updated) FROM issue WHERE client_key = ? AND " + column
                    + " IS NOT NULL GROUP BY " + column, row -> {
                        note(seen, row.string(0), row.instant(1));
                        return null;
                    }, clientKey);
        }
        sql.query("SELECT target, ranked, created_at FROM suggestion WHERE client_key = ?", row -> {
            suggested(seen, row.string(0), row.string(1), row.instant(2));
            return null;
        }, clientKey);
        sql.query("SELECT suggested, chosen, at FROM feedback WHERE client_key = ? AND target = 'assignee'", row -> {
            note(seen, row.string(0), row.instant(2));
            note(seen, row.string(1), row.instant(2));
            return null;
        }, clientKey);
        sql.query("SELECT applied_value, decided_at FROM auto_apply WHERE client_key = ? AND target = 'assignee'",
                row -> {
                    note(seen, row.string(0), row.instant(1));
                    return null;
                }, clientKey);
        sql.query("SELECT excluded, updated_at FROM target_settings WHERE client_key = ? AND target = 'assignee'",
                row -> {
                    read(row.string(0)).forEach(value -> note(seen, value.asText(null), row.instant(1)));
                    return null;
                }, clientKey);
        return seen;
    }

    private void suggested(Map<String, Instant> seen, String target, String ranked, Instant at) {
        for (JsonNode value : read(ranked)) {
            if (target.equals("assignee")) {
                note(seen, value.path("value").asText(null), at);
            }
            for (JsonNode reason : value.path("because")) {
                String feature = reason.path("feature").asText("");
                if (feature.startsWith(REPORTER_REASON)) {
                    note(seen, feature.substring(REPORTER_REASON.length()), at);
                } else if (reason.path("kind").asText("").equals("reporter")) {
                    note(seen, feature, at);
                }
            }
        }
    }

    private JsonNode read(String text) {
        try {
            return text == null ? json.createArrayNode() : json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable stored JSON while collecting account ids", e);
        }
    }

    private static void note(Map<String, Instant> seen, String accountId, Instant at) {
        if (accountId != null && !accountId.isBlank() && at != null) {
            seen.merge(accountId, at, (a, b) -> a.isAfter(b) ? a : b);
        }
    }
}
