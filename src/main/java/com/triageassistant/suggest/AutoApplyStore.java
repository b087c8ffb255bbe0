package com.triageassistant.suggest;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import com.triageassistant.store.IgniteSql;
import org.springframework.stereotype.Repository;

/** What auto-apply did, or in shadow mode would have done, once per issue and target. */
@Repository
public class AutoApplyStore {

    public enum State { APPLIED, FAILED, WOULD_APPLY, OVERRIDDEN }

    public record Decision(long issueId, String target, String projectKey, AutoApplyMode mode, String value,
                           double probability, int modelVersion, State state, String detail, Instant decidedAt) {
    }

    private static final String COLUMNS = "issue_id, target, project_key, mode, applied_value, probability, "
            + "model_version, state, detail, decided_at";

    private final IgniteSql sql;

    AutoApplyStore(IgniteSql sql) {
        this.sql = sql;
    }

    /** @return false when the issue's target was decided before: auto-apply acts once per issue and target */
    boolean claim(String clientKey, Decision decision) {
        return sql.insertIfAbsent("INSERT INTO auto_apply (client_key, " + COLUMNS
                        + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", clientKey, decision.issueId(), decision.target(),
                decision.projectKey(), decision.mode().name(), decision.value(), decision.probability(),
                decision.modelVersion(), decision.state().name(), decision.detail(),
                Timestamp.from(decision.decidedAt()));
    }

    void update(String clientKey, long issueId, String target, State state, String detail) {
        sql.update("UPDATE auto_apply SET state = ?, detail = ? WHERE client_key = ? AND issue_id = ? AND target = ?",
                state.name(), detail, clientKey, issueId, target);
    }

    public Optional<Decision> find(String clientKey, long issueId, String target) {
        return sql.query("SELECT " + COLUMNS + " FROM auto_apply WHERE client_key = ? AND issue_id = ? AND target = ?",
                AutoApplyStore::toDecision, clientKey, issueId, target).stream().findFirst();
    }

    public List<Decision> forTarget(String clientKey, String projectKey, String target) {
        return sql.query("SELECT " + COLUMNS + " FROM auto_apply WHERE client_key = ? AND project_key = ? "
                + "AND target = ?", AutoApplyStore::toDecision, clientKey, projectKey, target);
    }

    void forgetValue(String clientKey, String target, String value) {
        sql.update("DELETE FROM auto_apply WHERE client_key = ? AND target = ? AND applied_value = ?", clientKey,
                target, value);
    }

    private static Decision toDecision(IgniteSql.Row row) {
        return new Decision(row.longValue(0), row.string(1), row.string(2), AutoApplyMode.valueOf(row.string(3)),
                row.string(4), row.doubleValue(5), row.intValue(6), State.valueOf(row.string(7)), row.string(8),
                row.instant(9));
    }
}
