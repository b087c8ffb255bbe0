-- Ingestion: the webhook inbox, the issue store, backfill progress, and the tombstones that keep late or
-- out-of-order deliveries from resurrecting what Jira deleted or erased.

-- Every accepted webhook delivery, written before Jira gets its 2xx. delivery_id is Jira's
-- X-Atlassian-Webhook-Identifier (or a content hash when missing): the same delivery twice is one row.
-- payload is cleared once processed; done rows are kept a while only to recognise late duplicates.
-- Unlike the other tenant tables its rows are spread by the whole key, not by tenant: a busy tenant's burst of
-- acknowledgements would otherwise contend for the pages of a single partition.
CREATE TABLE IF NOT EXISTS webhook_inbox (
    client_key      VARCHAR,
    delivery_id     VARCHAR,
    event           VARCHAR NOT NULL,
    payload         VARCHAR,
    state           VARCHAR NOT NULL,
    attempts        INT NOT NULL,
    received_at     TIMESTAMP NOT NULL,
    next_attempt_at TIMESTAMP NOT NULL,
    finished_at     TIMESTAMP,
    last_error      VARCHAR,
    PRIMARY KEY (client_key, delivery_id)
) WITH "template=partitioned,backups=1,write_synchronization_mode=full_sync,cache_name=webhook_inbox";

CREATE INDEX IF NOT EXISTS webhook_inbox_due ON webhook_inbox (state, next_attempt_at);

-- What the app knows of each issue, kept current by webhooks and backfill; the newest `updated` wins.
-- components and labels are JSON arrays. A deleted issue stays as a content-free tombstone.
CREATE TABLE IF NOT EXISTS issue (
    client_key  VARCHAR,
    issue_id    BIGINT,
    issue_key   VARCHAR NOT NULL,
    project_key VARCHAR NOT NULL,
    summary     VARCHAR,
    text        VARCHAR,
    issue_type  VARCHAR,
    components  VARCHAR,
    labels      VARCHAR,
    priority    VARCHAR,
    assignee    VARCHAR,
    reporter    VARCHAR,
    created     TIMESTAMP,
    updated     TIMESTAMP NOT NULL,
    deleted     BOOLEAN NOT NULL,
    PRIMARY KEY (client_key, issue_id)
) WITH "template=partitioned,backups=1,write_synchronization_mode=full_sync,affinity_key=client_key,cache_name=issue";

CREATE INDEX IF NOT EXISTS issue_project ON issue (client_key, project_key, updated);

-- Per tenant and project: how far the history backfill got, so a restart resumes from its cursor.
-- The query is the project ordered by updated, from query_from on (null: all history); next_page_token belongs to
-- that query. If Jira refuses an old token, the query restarts from cursor_updated, the newest update seen.
CREATE TABLE IF NOT EXISTS backfill_state (
    client_key      VARCHAR,
    project_key     VARCHAR,
    state           VARCHAR NOT NULL,
    query_from      TIMESTAMP,
    next_page_token VARCHAR,
    cursor_updated  TIMESTAMP,
    pages_done      INT NOT NULL,
    issues_done     BIGINT NOT NULL,
    failures        INT NOT NULL,
    requested_at    TIMESTAMP NOT NULL,
    started_at      TIMESTAMP,
    finished_at     TIMESTAMP,
    next_run_at     TIMESTAMP NOT NULL,
    last_error      VARCHAR,
    PRIMARY KEY (client_key, project_key)
) WITH "template=partitioned,backups=1,write_synchronization_mode=full_sync,affinity_key=client_key,cache_name=backfill_state";

-- Projects Jira deleted: nothing older than deleted_at may bring their issues back.
CREATE TABLE IF NOT EXISTS deleted_project (
    client_key  VARCHAR,
    project_key VARCHAR,
    deleted_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (client_key, project_key)
) WITH "template=partitioned,backups=1,write_synchronization_mode=full_sync,affinity_key=client_key,cache_name=deleted_project";

-- Accounts Jira erased (user_deleted), as SHA-256 of the accountId: never stored again, whatever arrives late.
CREATE TABLE IF NOT EXISTS erased_account (
    client_key VARCHAR,
    account_hash VARCHAR,
    erased_at    TIMESTAMP NOT NULL,
    PRIMARY KEY (client_key, account_hash)
) WITH "template=partitioned,backups=1,write_synchronization_mode=full_sync,affinity_key=client_key,cache_name=erased_account";
