package com.triageassistant.connect;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

import com.triageassistant.store.IgniteSql;
import org.springframework.stereotype.Repository;

/** Jira's enabled/disabled switch per tenant. */
@Repository
public class TenantStateRepository {

    private final IgniteSql sql;

    public TenantStateRepository(IgniteSql sql) {
        this.sql = sql;
    }

    public void setEnabled(String clientKey, boolean enabled, Instant at) {
        sql.update("MERGE INTO tenant_state (client_key, enabled, changed_at) VALUES (?, ?, ?)",
                clientKey, enabled, Timestamp.from(at));
    }

    /** Empty until Jira has sent enabled or disabled for the tenant. */
    public Optional<Boolean> isEnabled(String clientKey) {
        return sql.query("SELECT enabled FROM tenant_state WHERE client_key = ?", row -> row.bool(0), clientKey)
                .stream().findFirst();
    }
}
