-- Forge installations of the app (Forge Remote): one row per tenant reached through Forge. The tenant (client_key) is
-- the installation id (docs/forge.md says why). The app token is the latest system token Forge
-- sent with an invocation: kept with its expiry, encrypted at rest with every other tenant table when TDE is on.
-- last_invoked_at is the last valid invocation of any kind (the hourly scheduled trigger included): Forge sends no
-- uninstall event, so a site that stays silent is gone, and its data is erased after the documented retention.
CREATE TABLE IF NOT EXISTS forge_installation (
    client_key       VARCHAR PRIMARY KEY,
    cloud_id         VARCHAR,
    site_url         VARCHAR,
    api_base_url     VARCHAR NOT NULL,
    app_account_id   VARCHAR,
    app_token        VARCHAR,
    token_expires_at TIMESTAMP,
    token_refused_at TIMESTAMP,
    installed_at     TIMESTAMP NOT NULL,
    last_invoked_at  TIMESTAMP NOT NULL
) WITH "template=partitioned,backups=1,write_synchronization_mode=full_sync,cache_name=forge_installation";
