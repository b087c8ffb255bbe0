-- Whether a tenant's admin has the app enabled (Jira's enabled/disabled lifecycle). While disabled the app
-- keeps the tenant's data but does no work for it.
CREATE TABLE IF NOT EXISTS tenant_state (
    client_key VARCHAR PRIMARY KEY,
    enabled    BOOLEAN NOT NULL,
    changed_at TIMESTAMP NOT NULL
) WITH "template=partitioned,backups=1,write_synchronization_mode=full_sync,cache_name=tenant_state";
