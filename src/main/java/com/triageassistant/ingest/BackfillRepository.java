package com.triageassistant.ingest;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import com.triageassistant.store.IgniteSql;
import org.springframework.stereotype.Repository;

/** Backfill progress per tenant and project, written after every page so a restart resumes where it stopped. */
@Repository
public class BackfillRepository {

    public static final String PENDING = "PENDING";
    public static final String RUNNING = "RUNNING";
    public static final String DONE = "DONE";
    public static final String FAILED = "FAILED";

    /** One project's backfill. */
    public record Backfill(String clientKey, String projectKey, String state, Instant queryFrom, String nextPageToken,
                           Instant cursorUpdated, int pagesDone, long issuesDone, int failures, Instant requestedAt,
                           Instant startedAt, Instant finishedAt, Instant nextRunAt, String lastError) {
    }

    private static final String COLUMNS = "client_key, project_key, state, query_from, next_page_token, cursor_updated, "
            + "pages_done, issues_done, failures, requested_at, started_at, finished_at, next_run_at, last_error";

    private final IgniteSql sql;
    private final Clock clock;

    BackfillRepository(IgniteSql sql, Clock clock) {
        this.sql = sql;
        this.clock = clock;
    }

    /** Starts (or restarts) a project's backfill from the beginning, unless one is already under way. */
    Backfill request(String clientKey, String projectKey) {
        Optional<Backfill> current = find(clientKey, projectKey);
        if (current.isPresent() && (current.get().state().equals(PENDING) || current.get().state().equals(RUNNING))) {
            return current.get();
        }
        Timestamp now = Timestamp.from(clock.instant());
        sql.update("MERGE INTO backfill_state (" + COLUMNS + ") VALUES (?, ?, ?, NULL, NULL, NULL, 0, 0, 0, ?, NULL, NULL, ?, NULL)",
                clientKey, projectKey, PENDING, now, now);
        return find(clientKey, projectKey).orElseThrow();
    }

    public Optional<Backfill> find(String clientKey, String projectKey) {
        return sql.query("SELECT " + COLUMNS + " FROM backfill_state WHERE client_key = ? AND project_key = ?",
                this::toBackfill, clientKey, projectKey).stream().findFirst();
    }

    public List<Backfill> list(String clientKey) {
        return sql.query("SELECT " + COLUMNS + " FROM backfill_state WHERE client_key = ? ORDER BY project_key",
                this::toBackfill, clientKey);
    }

    boolean hasAny(String clientKey) {
        return !sql.query("SELECT 1 FROM backfill_state WHERE client_key = ? LIMIT 1", row -> 1, clientKey).isEmpty();
    }

    /** Backfills not finished yet, of every tenant: a scan, but of one row per tenant and project. */
    long countOpen() {
        return sql.query("SELECT COUNT(*) FROM backfill_state WHERE state IN (?, ?)", row -> row.longValue(0),
                PENDING, RUNNING).get(0);
    }

    /** Backfills whose next page is due, the longest waiting first (so tenants take turns). */
    List<Backfill> due(int limit) {
        return sql.query("SELECT " + COLUMNS + " FROM backfill_state WHERE state IN (?, ?) AND next_run_at <= ? "
                + "ORDER BY next_run_at LIMIT ?", this::toBackfill, PENDING, RUNNING,
                Timestamp.from(clock.instant()), limit);
    }

    void pageDone(Backfill backfill, String nextPageToken, Instant cursorUpdated, int issues) {
        Instant now = clock.instant();
        sql.update("UPDATE backfill_state SET state = ?, next_page_token = ?, cursor_updated = ?, pages_done = ?, "
                        + "issues_done = ?, failures = 0, started_at = ?, next_run_at = ?, last_error = NULL "
                        + "WHERE client_key = ? AND project_key = ?", RUNNING, nextPageToken,
                timestamp(cursorUpdated), backfill.pagesDone() + 1, backfill.issuesDone() + issues,
                timestamp(backfill.startedAt() != null ? backfill.startedAt() : now), Timestamp.from(now),
                backfill.clientKey(), backfill.projectKey());
    }

    void finish(Backfill backfill, Instant cursorUpdated, int issues) {
        Instant now = clock.instant();
        sql.update("UPDATE backfill_state SET state = ?, next_page_token = NULL, cursor_updated = ?, pages_done = ?, "
                        + "issues_done = ?, failures = 0, started_at = ?, finished_at = ?, last_error = NULL "
                        + "WHERE client_key = ? AND project_key = ?", DONE, timestamp(cursorUpdated),
                backfill.pagesDone() + 1, backfill.issuesDone() + issues,
                timestamp(backfill.startedAt() != null ? backfill.startedAt() : now), Timestamp.from(now),
                backfill.clientKey(), backfill.projectKey());
    }

    /** Jira refused the stored page token: continue from the newest update seen, with a fresh query. */
    void restartQueryFromCursor(Backfill backfill) {
        sql.update("UPDATE backfill_state SET query_from = cursor_updated, next_page_token = NULL "
                + "WHERE client_key = ? AND project_key = ?", backfill.clientKey(), backfill.projectKey());
    }

    /** Not yet: Jira asked to wait (429) or failed (5xx, network); try again at {@code at}. */
    void postpone(Backfill backfill, Instant at, String error, boolean countsAsFailure) {
        sql.update("UPDATE backfill_state SET next_run_at = ?, failures = ?, last_error = ? "
                        + "WHERE client_key = ? AND project_key = ?", Timestamp.from(at),
                backfill.failures() + (countsAsFailure ? 1 : 0), error, backfill.clientKey(), backfill.projectKey());
    }

    /** The tenant's open backfills that wait out a failure are due now (Jira can be reached again). */
    void dueNow(String clientKey) {
        sql.update("UPDATE backfill_state SET next_run_at = ?, failures = 0 WHERE client_key = ? "
                        + "AND state IN (?, ?) AND next_run_at > ? AND failures > 0", Timestamp.from(clock.instant()),
                clientKey, PENDING, RUNNING, Timestamp.from(clock.instant()));
    }

    void fail(Backfill backfill, String error) {
        sql.update("UPDATE backfill_state SET state = ?, finished_at = ?, last_error = ? "
                        + "WHERE client_key = ? AND project_key = ?", FAILED, Timestamp.from(clock.instant()), error,
                backfill.clientKey(), backfill.projectKey());
    }

    void delete(String clientKey, String projectKey) {
        sql.update("DELETE FROM backfill_state WHERE client_key = ? AND project_key = ?", clientKey, projectKey);
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private Backfill toBackfill(IgniteSql.Row row) {
        return new Backfill(row.string(0), row.string(1), row.string(2), row.instant(3), row.string(4),
                row.instant(5), row.intValue(6), row.longValue(7), row.intValue(8), row.instant(9), row.instant(10),
                row.instant(11), row.instant(12), row.string(13));
    }
}
