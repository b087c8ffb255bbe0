-- Learning: per-project settings, training jobs, the model versions with their metrics, and the stored
-- suggestions the issue view reads without waiting on Python.

-- Per tenant and project: which targets are learnt and suggested, and how. No row: the defaults.
-- targets is a JSON array; excluded a JSON object {target: [values never to suggest]}.
CREATE TABLE IF NOT EXISTS project_config (
    client_key       VARCHAR,
    project_key      VARCHAR,
    targets          VARCHAR NOT NULL,
    precision_target DOUBLE NOT NULL,
    auto_apply       BOOLEAN NOT NULL,
    excluded         VARCHAR NOT NULL,
    updated_at       TIMESTAMP NOT NULL,
    PRIMARY KEY (client_key, project_key)
) WITH "template=partitioned,backups=1,write_synchronization_mode=full_sync,affinity_key=client_key,cache_name=project_config";

-- One row per tenant, project and target: the single job that may run for it. A request while it runs sets
-- rerun, so the newest data is always learnt once more and never twice at the same time.
CREATE TABLE IF NOT EXISTS training_job (
    client_key   VARCHAR,
    project_key  VARCHAR,
    target       VARCHAR,
    state        VARCHAR NOT NULL,
    reason       VARCHAR NOT NULL,
    rerun        BOOLEAN NOT NULL,
    attempts     INT NOT NULL,
    requested_at TIMESTAMP NOT NULL,
    next_run_at  TIMESTAMP NOT NULL,
    started_at   TIMESTAMP,
    finished_at  TIMESTAMP,
    node         VARCHAR,
    last_error   VARCHAR,
    PRIMARY KEY (client_key, project_key, target)
) WITH "template=partitioned,backups=1,write_synchronization_mode=full_sync,affinity_key=client_key,cache_name=training_job";

CREATE INDEX IF NOT EXISTS training_job_due ON training_job (state, next_run_at);

-- Every trained version of a model: the artifact with the library versions that made it, its evaluation, and
-- its status (ACTIVE: serving; REJECTED: worse than the active one; RETIRED: replaced; INSUFFICIENT: too little
-- data). compared_with is the active model's score the promotion decision compared against.
-- The newest versions are kept for rollback; artifacts of older ones are dropped.
CREATE TABLE IF NOT EXISTS model (
    client_key       VARCHAR,
    project_key      VARCHAR,
    target           VARCHAR,
    version          INT,
    status           VARCHAR NOT NULL,
    artifact         VARBINARY,
    sklearn_version  VARCHAR,
    numpy_version    VARCHAR,
    main_metric      VARCHAR,
    main_value       DOUBLE,
    compared_with    DOUBLE,
    samples          INT NOT NULL,
    result           VARCHAR NOT NULL,
    trained_at       TIMESTAMP NOT NULL,
    PRIMARY KEY (client_key, project_key, target, version)
) WITH "template=partitioned,backups=1,write_synchronization_mode=full_sync,affinity_key=client_key,cache_name=model";

-- What the issue view shows: ranked values with probabilities and the features behind them, per issue and
-- target, from a given model version and issue update.
CREATE TABLE IF NOT EXISTS suggestion (
    client_key    VARCHAR,
    issue_id      BIGINT,
    target        VARCHAR,
    project_key   VARCHAR NOT NULL,
    model_version INT NOT NULL,
    ranked        VARCHAR NOT NULL,
    issue_updated TIMESTAMP NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    PRIMARY KEY (client_key, issue_id, target)
) WITH "template=partitioned,backups=1,write_synchronization_mode=full_sync,affinity_key=client_key,cache_name=suggestion";
