package com.triageassistant.ingest;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.triageassistant.Sha256;
import com.triageassistant.connect.InstalledTenants;
import com.triageassistant.store.IgniteSql;
import com.triageassistant.store.TableRows;
import org.springframework.stereotype.Repository;

/**
 * The tenant's issues as the app knows them. Whatever order versions arrive in (webhooks, retries, backfill
 * pages), the newest {@code updated} wins; deletions leave tombstones; erased accounts and deleted projects are
 * never written again.
 */
@Repository
public class IssueStore {

    private static final String COLUMNS = "client_key, issue_id, issue_key, project_key, summary, text, issue_type, "
            + "components, labels, priority, assignee, reporter, created, updated, deleted";
    private static final List<String> COLUMN_LIST = List.of(COLUMNS.split(", "));
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };

    private final IgniteSql sql;
    private final TableRows issueRows;
    private final TableRows deletedRows;
    private final TableRows erasedRows;
    private final InstalledTenants installed;
    private final ObjectMapper json;

    IssueStore(IgniteSql sql, InstalledTenants installed, ObjectMapper json) {
        this.sql = sql;
        this.issueRows = sql.rows("issue");
        this.deletedRows = sql.rows("deleted_project");
        this.erasedRows = sql.rows("erased_account");
        this.installed = installed;
        this.json = json;
    }


    /**
     * Reads and writes by key (the issue, its project's deletion, its people's erasure) rather than SQL: this runs
     * once per webhook, and a cache operation is a fraction of an SQL statement's work. A batch asks about each
     * project and account once.
     *
     * @return how many of the records were newer than what was stored, and so written
     */
    int upsert(String clientKey, Collection<IssueRecord> records) {
        if (records.isEmpty()) {
            return 0;
        }
        return installed.whileInstalled(clientKey, () -> {
            Map<Long, Instant> stored = new HashMap<>();
            Map<String, Optional<Instant>> projectsGone = new HashMap<>();
            Map<String, Boolean> erased = new HashMap<>();
            int written = 0;
            for (IssueRecord record : records) {
                Instant current = stored.computeIfAbsent(record.issueId(), id -> storedVersion(clientKey, id));
                Optional<Instant> projectGone = projectsGone.computeIfAbsent(record.projectKey(),
                        project -> deletedRows.get(deletedRows.key("client_key", clientKey, "project_key", project),
                                List.of("deleted_at")).map(row -> row.instant(0)));
                if ((current != null && !record.updated().isAfter(current))
                        || (projectGone.isPresent() && !record.updated().isAfter(projectGone.get()))) {
                    continue;
                }
                write(clientKey, withoutErased(record, account -> erased.computeIfAbsent(account,
                        id -> erasedRows.get(erasedRows.key("client_key", clientKey, "account_hash", accountHash(id)),
                                List.of("erased_at")).isPresent())));
                stored.put(record.issueId(), record.updated());
                written++;
            }
            return written;
        }).orElse(0);
    }

    /** Leaves a content-free tombstone unless a newer version is already stored. */
    boolean markDeleted(String clientKey, long issueId, String issueKey, String projectKey, Instant at) {
        return installed.whileInstalled(clientKey, () -> {
            Instant current = storedVersion(clientKey, issueId);
            if (current != null && !at.isAfter(current)) {
                return false;
            }
            // written by key like every other version of the row; the columns not given stay null
            issueRows.put(issueKey(clientKey, issueId), Map.of("issue_key", issueKey, "project_key", projectKey,
                    "components", "[]", "labels", "[]", "updated", Timestamp.from(at), "deleted", Boolean.TRUE));
            return true;
        }).orElse(false);
    }

    /** Jira deleted the project: its issues go, and nothing older than {@code at} brings them back. */
    void deleteProject(String clientKey, String projectKey, Instant at) {
        installed.runWhileInstalled(clientKey, () -> {
            sql.update("MERGE INTO deleted_project (client_key, project_key, deleted_at) VALUES (?, ?, ?)",
                    clientKey, projectKey, Timestamp.from(at));
            sql.update("DELETE FROM issue WHERE client_key = ? AND project_key = ?", clientKey, projectKey);
        });
    }

    /** Jira erased an account (GDPR): forget it on every issue, now and for late deliveries. */
    void eraseAccount(String clientKey, String accountId, Instant at) {
        installed.runWhileInstalled(clientKey, () -> {
            sql.update("MERGE INTO erased_account (client_key, account_hash, erased_at) VALUES (?, ?, ?)",
                    clientKey, accountHash(accountId), Timestamp.from(at));
            sql.update("UPDATE issue SET assignee = NULL WHERE client_key = ? AND assignee = ?", clientKey, accountId);
            sql.update("UPDATE issue SET reporter = NULL WHERE client_key = ? AND reporter = ?", clientKey, accountId);
        });
    }

    /** The live issue (not a tombstone), by key: the glance and every suggestion read it. */
    public Optional<IssueRecord> find(String clientKey, long issueId) {
        return issueRows.get(issueKey(clientKey, issueId), COLUMN_LIST).filter(row -> !row.bool(14))
                .map(this::toRecord);
    }

    /** Live (not deleted) issues of a project, oldest update first. */
    public List<IssueRecord> projectIssues(String clientKey, String projectKey) {
        return sql.query("SELECT " + COLUMNS + " FROM issue WHERE client_key = ? AND project_key = ? AND deleted = FALSE "
                + "ORDER BY updated, issue_id", this::toRecord, clientKey, projectKey);
    }

    /** Issues of a project (deleted ones included) that changed after {@code since}: a range of issue_project. */
    public long countChangedSince(String clientKey, String projectKey, Instant since) {
        return sql.query("SELECT COUNT(*) FROM issue WHERE client_key = ? AND project_key = ? AND updated > ?",
                row -> row.longValue(0), clientKey, projectKey, Timestamp.from(since)).get(0);
    }

    public long countLive(String clientKey, String projectKey) {
        return sql.query("SELECT COUNT(*) FROM issue WHERE client_key = ? AND project_key = ? AND deleted = FALSE",
                row -> row.longValue(0), clientKey, projectKey).get(0);
    }

    boolean isTombstone(String clientKey, long issueId) {
        return issueRows.get(issueKey(clientKey, issueId), List.of("deleted")).map(row -> row.bool(0)).orElse(false);
    }

    private void write(String clientKey, IssueRecord r) {
        Map<String, Object> columns = new HashMap<>();
        columns.put("issue_key", r.issueKey());
        columns.put("project_key", r.projectKey());
        columns.put("summary", r.summary());
        columns.put("text", r.text());
        columns.put("issue_type", r.issueType());
        columns.put("components", toJson(r.components()));
        columns.put("labels", toJson(r.labels()));
        columns.put("priority", r.priority());
        columns.put("assignee", r.assignee());
        columns.put("reporter", r.reporter());
        columns.put("created", r.created() == null ? null : Timestamp.from(r.created()));
        columns.put("updated", Timestamp.from(r.updated()));
        columns.put("deleted", Boolean.FALSE);
        issueRows.put(issueKey(clientKey, r.issueId()), columns);
    }

    /** When the stored version of the issue (tombstones included) was updated; null if none is stored. */
    private Instant storedVersion(String clientKey, long issueId) {
        return issueRows.get(issueKey(clientKey, issueId), List.of("updated")).map(row -> row.instant(0)).orElse(null);
    }

    private Object issueKey(String clientKey, long issueId) {
        return issueRows.key("client_key", clientKey, "issue_id", issueId);
    }

    private static IssueRecord withoutErased(IssueRecord record, Predicate<String> erased) {
        String assignee = record.assignee() != null && erased.test(record.assignee()) ? null : record.assignee();
        String reporter = record.reporter() != null && erased.test(record.reporter()) ? null : record.reporter();
        return assignee == record.assignee() && reporter == record.reporter() ? record
                : record.withAccounts(assignee, reporter);
    }

    static String accountHash(String accountId) {
        return Sha256.hex(accountId);
    }

    private IssueRecord toRecord(IgniteSql.Row row) {
        return new IssueRecord(row.longValue(1), row.string(2), row.string(3), row.string(4), row.string(5),
                row.string(6), fromJson(row.string(7)), fromJson(row.string(8)), row.string(9), row.string(10),
                row.string(11), row.instant(12), row.instant(13));
    }

    private String toJson(List<String> values) {
        try {
            return json.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<String> fromJson(String text) {
        if (text == null) {
            return List.of();
        }
        try {
            return new ArrayList<>(json.readValue(text, STRINGS));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt list column: " + text, e);
        }
    }
}
