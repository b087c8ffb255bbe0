package com.triageassistant.privacy;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.triageassistant.Sha256;
import com.triageassistant.store.IgniteSql;
import org.springframework.stereotype.Repository;

/**
 * Per tenant, when the next report is due ({@code personal_data_report}), and per account Jira said was updated,
 * when the app took note ({@code account_refresh}, keyed by the accountId's hash).
 */
@Repository
class ReportSchedule {

    /** A tenant's reporting state. */
    record Status(String clientKey, Instant nextReportAt, Long cycleSeconds, Instant lastReportedAt,
                  Integer accountsReported, Integer accountsClosed, Integer accountsUpdated, int failures,
                  String lastError) {
    }

    private static final String COLUMNS = "client_key, next_report_at, cycle_seconds, last_reported_at, "
            + "accounts_reported, accounts_closed, accounts_updated, failures, last_error";

    private final IgniteSql sql;

    ReportSchedule(IgniteSql sql) {
        this.sql = sql;
    }

    /** Installed tenants with no schedule yet get their first report {@code firstDelay} from now. */
    void scheduleNewTenants(Instant now, Duration firstDelay) {
        Set<String> scheduled = Set.copyOf(sql.query("SELECT client_key FROM personal_data_report",
                row -> row.string(0)));
        for (String clientKey : installedTenants()) {
            if (!scheduled.contains(clientKey)) {
                // Another node may schedule it at the same moment: the first row stays.
                sql.insertIfAbsent("INSERT INTO personal_data_report (client_key, next_report_at, failures) "
                        + "VALUES (?, ?, 0)", clientKey, Timestamp.from(now.plus(firstDelay)));
            }
        }
    }

    /** Installed tenants whose report is due, the longest waiting first. */
    List<String> due(Instant now) {
        Set<String> installed = Set.copyOf(installedTenants());
        return sql.query("SELECT client_key FROM personal_data_report WHERE next_report_at <= ? "
                        + "ORDER BY next_report_at", row -> row.string(0), Timestamp.from(now)).stream()
                .filter(installed::contains).toList();
    }

    private List<String> installedTenants() {
        return sql.query("SELECT client_key FROM atlassian_host WHERE addon_installed = TRUE", row -> row.string(0));
    }

    Optional<Status> find(String clientKey) {
        return sql.query("SELECT " + COLUMNS + " FROM personal_data_report WHERE client_key = ?", row -> new Status(
                row.string(0), row.instant(1), nullableLong(row, 2), row.instant(3), nullableInt(row, 4),
                nullableInt(row, 5), nullableInt(row, 6), row.intValue(7), row.string(8)), clientKey)
                .stream().findFirst();
    }

    void reported(String clientKey, Instant at, Duration cycle, int reported, int closed, int updated) {
        sql.update("MERGE INTO personal_data_report (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, 0, NULL)",
                clientKey, Timestamp.from(at.plus(cycle)), cycle.toSeconds(), Timestamp.from(at), reported, closed,
                updated);
    }

    /** The report failed: the whole of it is tried again at {@code retryAt}, nothing of the cycle is skipped. */
    void failed(String clientKey, Instant retryAt, String error) {
        sql.update("UPDATE personal_data_report SET next_report_at = ?, failures = failures + 1, last_error = ? "
                + "WHERE client_key = ?", Timestamp.from(retryAt), error, clientKey);
    }

    /** When the app last took note of an update Jira reported, per stored account. */
    Map<String, Instant> refreshedAt(String clientKey) {
        Map<String, Instant> byHash = new HashMap<>();
        sql.query("SELECT account_hash, refreshed_at FROM account_refresh WHERE client_key = ?",
                row -> byHash.put(row.string(0), row.instant(1)), clientKey);
        return byHash;
    }

    void refreshed(String clientKey, Collection<String> accountIds, Instant at) {
        for (String accountId : accountIds) {
            sql.update("MERGE INTO account_refresh (client_key, account_hash, refreshed_at) VALUES (?, ?, ?)",
                    clientKey, hash(accountId), Timestamp.from(at));
        }
    }

    /** Notes about accounts the app no longer stores are dropped. */
    void keepRefreshesOf(String clientKey, Set<String> storedHashes, Collection<String> knownHashes) {
        for (String known : knownHashes) {
            if (!storedHashes.contains(known)) {
                forget(clientKey, known);
            }
        }
    }

    void forgetAccount(String clientKey, String accountId) {
        forget(clientKey, hash(accountId));
    }

    private void forget(String clientKey, String accountHash) {
        sql.update("DELETE FROM account_refresh WHERE client_key = ? AND account_hash = ?", clientKey, accountHash);
    }

    static String hash(String accountId) {
        return Sha256.hex(accountId);
    }

    private static Long nullableLong(IgniteSql.Row row, int column) {
        Object value = row.values().get(column);
        return value == null ? null : ((Number) value).longValue();
    }

    private static Integer nullableInt(IgniteSql.Row row, int column) {
        Object value = row.values().get(column);
        return value == null ? null : ((Number) value).intValue();
    }
}
