-- When the newest signed install a tenant's Jira sent was signed (its token's iat). A lifecycle call signed before
-- it is a replay, or a retry overtaken by a newer call, and is refused: it would roll back a rotated secret or
-- erase a fresh re-install. A tenant table, so it goes with the tenant's other rows on uninstall.
CREATE TABLE IF NOT EXISTS lifecycle_call (
    client_key          VARCHAR PRIMARY KEY,
    installed_signed_at TIMESTAMP NOT NULL
) WITH "template=partitioned,backups=1,write_synchronization_mode=full_sync,cache_name=lifecycle_call";
