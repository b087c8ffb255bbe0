package com.triageassistant.connect;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

import com.triageassistant.store.IgniteSql;
import org.springframework.stereotype.Repository;

/** Per tenant, when the newest install Jira signed was signed: what older lifecycle calls are measured against. */
@Repository
class LifecycleCallRepository {

    private final IgniteSql sql;

    LifecycleCallRepository(IgniteSql sql) {
        this.sql = sql;
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
}
