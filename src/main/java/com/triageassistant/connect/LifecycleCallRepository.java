package com.triageassistant.connect;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import com.triageassistant.Sha256;
import com.triageassistant.store.IgniteSql;
import org.springframework.stereotype.Repository;

/**
 * Per tenant, when the newest install and uninstall Jira signed were signed: what older lifecycle calls are measured
 * against. Uninstalls outlive the erasure by {@link #UNINSTALL_MEMORY} (a lifecycle token lives minutes).
 */
@Repository
class LifecycleCallRepository {

    static final Duration UNINSTALL_MEMORY = Duration.ofDays(1);

    private final IgniteSql sql;
    private final Clock clock;

    LifecycleCallRepository(IgniteSql sql, Clock clock) {
        this.sql = sql;
        this.clock = clock;
    }

    Optional<Instant> installedSignedAt(String clientKey) {
        return sql.query("SELECT installed_signed_at FROM lifecycle_call WHERE client_key = ?",
                row -> row.instant(0), clientKey).stream().findFirst();
    }

    /** Keeps the later of the stored time and {@code signedAt}. */
    void installed(String clientKey, Instant signedAt) {
        if (installedSignedAt(clientKey).map(stored -> stored.isBefore(signedAt)).orElse(true)) {
            sql.update("MERGE INTO lifecycle_call (client_key, installed_signed_at) VALUES (?, ?)", clientKey,
                    Timestamp.from(signedAt));
        }
    }

    Optional<Instant> uninstalledSignedAt(String clientKey) {
        return sql.query("SELECT uninstalled_signed_at FROM lifecycle_uninstall WHERE tenant_hash = ?",
                row -> row.instant(0), Sha256.hex(clientKey)).stream().findFirst();
    }

    /** Keeps the later of the stored time and {@code signedAt}; forgets uninstalls older than a day. */
    void uninstalled(String clientKey, Instant signedAt) {
        Instant now = clock.instant();
        sql.update("DELETE FROM lifecycle_uninstall WHERE recorded_at < ?", Timestamp.from(now.minus(UNINSTALL_MEMORY)));
        if (uninstalledSignedAt(clientKey).map(stored -> stored.isBefore(signedAt)).orElse(true)) {
            sql.update("MERGE INTO lifecycle_uninstall (tenant_hash, uninstalled_signed_at, recorded_at) "
                    + "VALUES (?, ?, ?)", Sha256.hex(clientKey), Timestamp.from(signedAt), Timestamp.from(now));
        }
    }
}
