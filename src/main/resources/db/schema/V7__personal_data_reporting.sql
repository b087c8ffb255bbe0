-- Personal Data Reporting (Atlassian's report-accounts API): per tenant, when the next report is due, so that a
-- restart neither reports early nor forgets to report; and what the last one found.
CREATE TABLE IF NOT EXISTS personal_data_report (
    client_key        VARCHAR PRIMARY KEY,
    next_report_at    TIMESTAMP NOT NULL,
    cycle_seconds     BIGINT,
    last_reported_at  TIMESTAMP,
    accounts_reported INT,
    accounts_closed   INT,
    accounts_updated  INT,
    failures          INT NOT NULL,
    last_error        VARCHAR
) WITH "template=partitioned,backups=1,write_synchronization_mode=full_sync,cache_name=personal_data_report";

-- Accounts Jira reported as updated, by SHA-256 of the accountId (this table adds no account id to the store): when
-- the app took note, so the next report's updatedAt is not older than the change Jira told it about.
CREATE TABLE IF NOT EXISTS account_refresh (
    client_key   VARCHAR,
    account_hash VARCHAR,
    refreshed_at TIMESTAMP NOT NULL,
    PRIMARY KEY (client_key, account_hash)
) WITH "template=partitioned,backups=1,write_synchronization_mode=full_sync,affinity_key=client_key,cache_name=account_refresh";
