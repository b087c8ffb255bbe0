package com.triageassistant.suggest;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.triageassistant.store.IgniteSql;
import org.springframework.stereotype.Repository;

/** What people did with suggestions: the acceptance metrics and what the glance no longer shows. */
@Repository
public class FeedbackStore {

    public enum Action { ACCEPTED, DISMISSED, OVERRIDDEN }

    /** One decision about one target of one issue; {@code suggested} is the value it was about. */
    public record Feedback(long issueId, String target, Action action, String suggested, String chosen,
                           Double probability, Integer modelVersion, Instant at) {
    }

    private final IgniteSql sql;
    private final Clock clock;

    FeedbackStore(IgniteSql sql, Clock clock) {
        this.sql = sql;
        this.clock = clock;
    }

    void record(String clientKey, String projectKey, Feedback feedback) {
        sql.update("INSERT INTO feedback (client_key, feedback_id, project_key, issue_id, target, action, suggested, "
                        + "chosen, probability, model_version, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                clientKey, UUID.randomUUID().toString(), projectKey, feedback.issueId(), feedback.target(),
                feedback.action().name(), feedback.suggested(), feedback.chosen(), feedback.probability(),
                feedback.modelVersion(), Timestamp.from(feedback.at() == null ? clock.instant() : feedback.at()));
    }

    public List<Feedback> forIssue(String clientKey, long issueId) {
        return sql.query("SELECT issue_id, target, action, suggested, chosen, probability, model_version, at "
                        + "FROM feedback WHERE client_key = ? AND issue_id = ? ORDER BY at",
                row -> new Feedback(row.longValue(0), row.string(1), Action.valueOf(row.string(2)), row.string(3),
                        row.string(4), row.doubleValue(5), row.values().get(6) == null ? null : row.intValue(6),
                        row.instant(7)), clientKey, issueId);
    }

    /** Decisions per action about one target of a project since a time. */
    public Map<Action, Long> counts(String clientKey, String projectKey, String target, Instant since) {
        Map<Action, Long> counts = new EnumMap<>(Action.class);
        for (Action action : Action.values()) {
            counts.put(action, 0L);
        }
        sql.query("SELECT action, COUNT(*) FROM feedback WHERE client_key = ? AND project_key = ? AND target = ? "
                        + "AND at >= ? GROUP BY action", row -> Map.entry(Action.valueOf(row.string(0)), row.longValue(1)),
                clientKey, projectKey, target, Timestamp.from(since))
                .forEach(entry -> counts.put(entry.getKey(), entry.getValue()));
        return counts;
    }

    /** An erased account is no longer named as a value anyone chose or was offered. */
    void forgetValue(String clientKey, String target, String value) {
        sql.update("DELETE FROM feedback WHERE client_key = ? AND target = ? AND (suggested = ? OR chosen = ?)",
                clientKey, target, value, value);
    }
}
