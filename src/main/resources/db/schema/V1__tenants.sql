-- Tenants as Atlassian Connect Spring Boot needs them. Every tenant table has client_key (the erase convention,
-- see TenantDataEraser) and uses it as its affinity key so one tenant's rows live together.
CREATE TABLE IF NOT EXISTS atlassian_host (
    client_key                          VARCHAR PRIMARY KEY,
    shared_secret                       VARCHAR,
    oauth_client_id                     VARCHAR,
    authentication                      VARCHAR,
    cloud_id                            VARCHAR,
    base_url                            VARCHAR NOT NULL,
    display_url                         VARCHAR,
    display_url_servicedesk_help_center VARCHAR,
    product_type                        VARCHAR,
    description                         VARCHAR,
    service_entitlement_number          VARCHAR,
    entitlement_id                      VARCHAR,
    entitlement_number                  VARCHAR,
    installation_id                     VARCHAR,
    addon_installed                     BOOLEAN,
    created_date                        TIMESTAMP,
    last_modified_date                  TIMESTAMP,
    created_by                          VARCHAR,
    last_modified_by                    VARCHAR
) WITH "template=partitioned,backups=1,write_synchronization_mode=full_sync,cache_name=atlassian_host";

CREATE INDEX IF NOT EXISTS atlassian_host_base_url ON atlassian_host (base_url, last_modified_date DESC);

CREATE TABLE IF NOT EXISTS atlassian_host_mapping (
    client_key      VARCHAR,
    installation_id VARCHAR,
    mapped_at       TIMESTAMP,
    PRIMARY KEY (client_key, installation_id)
) WITH "template=partitioned,backups=1,write_synchronization_mode=full_sync,affinity_key=client_key,cache_name=atlassian_host_mapping";

CREATE INDEX IF NOT EXISTS atlassian_host_mapping_installation ON atlassian_host_mapping (installation_id);
