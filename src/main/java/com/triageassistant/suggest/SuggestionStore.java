package com.triageassistant.suggest;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import com.triageassistant.store.IgniteSql;
import org.springframework.stereotype.Repository;

/** The suggestions the issue view shows, computed ahead so it never waits on Python. */
@Repository
public class SuggestionStore {

    /**
     * One target's suggestion for one issue: {@code ranked} is JSON {@code [{"value", "p", "suggest", "auto",
     * "because"}, ...]}, best first ({@code suggest} and {@code auto} missing in rows of older sidecars).
     */
    public record Suggestion(String clientKey, long issueId, String target, String projectKey, int modelVersion,
                             String ranked, Instant issueUpdated, Instant createdAt, String offered) {

        /** The ranked values, best first. */
        public List<Suggested> values() {
            return Suggested.parse(ranked);
        }

        /** How a value was last offered by this or an earlier ranking of the issue's target, if it ever was. */
        Optional<EarlierOffers.Offer> offeredBefore(String value) {
            return EarlierOffers.parse(offered).find(value);
        }
    }

    private static final String COLUMNS = "client_key, issue_id, target, project_key, model_version, ranked, "
            + "issue_updated, created_at, offered";

    private final IgniteSql sql;
    private final Clock clock;

    SuggestionStore(IgniteSql sql, Clock clock) {
        this.sql = sql;
        this.clock = clock;
    }

    /**
     * Kept only if it is for the same or a newer version of the issue than what is stored; the values the replaced
     * ranking offered stay known as offered.
     */
    void save(String clientKey, long issueId, String target, String projectKey, int modelVersion, String ranked,
              Instant issueUpdated) {
        Optional<Suggestion> stored = find(clientKey, issueId).stream()
                .filter(row -> row.target().equals(target)).findFirst();
        if (stored.isPresent() && stored.get().issueUpdated().isAfter(issueUpdated)) {
            return;
        }
        EarlierOffers earlier = stored.map(row -> EarlierOffers.parse(row.offered())).orElse(EarlierOffers.NONE);
        sql.update("MERGE INTO suggestion (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", clientKey, issueId,
                target, projectKey, modelVersion, ranked, Timestamp.from(issueUpdated),
                Timestamp.from(clock.instant()), earlier.with(Suggested.parse(ranked), modelVersion).json());
    }

    public List<Suggestion> find(String clientKey, long issueId) {
        return sql.query("SELECT " + COLUMNS + " FROM suggestion WHERE client_key = ? AND issue_id = ? ORDER BY target",
                row -> new Suggestion(row.string(0), row.longValue(1), row.string(2), row.string(3), row.intValue(4),
                        row.string(5), row.instant(6), row.instant(7), row.string(8)), clientKey, issueId);
    }

    /**
     * Suggestions naming an erased account, as a value or as a reason ({@code reporter:<id>}), are dropped; the
     * issue is suggested afresh when it next changes.
     */
    void forgetAccount(String clientKey, String accountId) {
        String pattern = "%" + accountId.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        sql.update("DELETE FROM suggestion WHERE client_key = ? AND (ranked LIKE ? OR offered LIKE ?)", clientKey,
                pattern, pattern);
    }
}
