-- When a tenant's newest signed uninstall was signed, kept a day past the erasure it caused: an install signed
-- before it (a captured `installed` replayed within its token's life) would re-create the tenant. Keyed by the
-- SHA-256 of the client key and without a client_key column, so the erasure (every table with client_key) leaves it.
CREATE TABLE IF NOT EXISTS lifecycle_uninstall (
    tenant_hash           VARCHAR PRIMARY KEY,
    uninstalled_signed_at TIMESTAMP NOT NULL,
    recorded_at           TIMESTAMP NOT NULL
) WITH "template=partitioned,backups=1,write_synchronization_mode=full_sync,cache_name=lifecycle_uninstall";
