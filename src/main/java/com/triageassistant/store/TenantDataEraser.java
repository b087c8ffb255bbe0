package com.triageassistant.store;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Erases everything stored for one tenant. A table is a tenant table by convention: it has a {@code client_key}
 * column. New tables join by following the convention, so nobody has to remember to extend a list.
 */
public class TenantDataEraser {

    /** Erased last: while it holds the tenant, a failed erase is visible and is finished at the next start. */
    static final String HOST_TABLE = "ATLASSIAN_HOST";

    private static final Logger log = LoggerFactory.getLogger(TenantDataEraser.class);

    private final IgniteSql sql;
    private final TenantLocks locks;

    public TenantDataEraser(IgniteSql sql, TenantLocks locks) {
        this.sql = sql;
        this.locks = locks;
    }

    /** Tables of the PUBLIC schema that hold tenant rows, the host table last. */
    public List<String> tenantTables() {
        return sql.query("SELECT table_name FROM SYS.TABLE_COLUMNS "
                        + "WHERE schema_name = 'PUBLIC' AND column_name = 'CLIENT_KEY' "
                        + "ORDER BY CASE WHEN table_name = ? THEN 1 ELSE 0 END, table_name",
                row -> row.string(0), HOST_TABLE);
    }

    /** @return rows deleted per table */
    public Map<String, Long> erase(String clientKey) {
        Map<String, Long> deleted = new LinkedHashMap<>();
        // Writers check, under the same lock, that the tenant still exists: nothing lands after the erase.
        locks.of(clientKey).lock();
        try {
            for (String table : tenantTables()) {
                // Table names come from Ignite's own catalogue, never from a request.
                deleted.put(table, sql.update("DELETE FROM \"" + table + "\" WHERE client_key = ?", clientKey));
            }
        } finally {
            locks.of(clientKey).unlock();
        }
        log.info("Erased tenant data: {}", deleted);
        return deleted;
    }
}
