-- What people see and decide: per-target settings of a project, their feedback on suggestions, and what
-- auto-apply did (or, in shadow mode, would have done).

-- V4's project_config held one row per project with every target's settings folded into JSON; it was never
-- written. Settings are per target, so they get a row each.
DROP TABLE IF EXISTS project_config;

-- No row: the target's defaults (TargetSettings.defaults). excluded is a JSON array of values never suggested.
CREATE TABLE IF NOT EXISTS target_settings (
    client_key  VARCHAR,
    project_key VARCHAR,
    target      VARCHAR,
    enabled     BOOLEAN NOT NULL,
    threshold   DOUBLE NOT NULL,
    auto_apply  VARCHAR NOT NULL,
    excluded    VARCHAR NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (client_key, project_key, target)
) WITH "template=partitioned,backups=1,write_synchronization_mode=full_sync,affinity_key=client_key,cache_name=target_settings";

-- One row per decision a person made about a suggestion: ACCEPTED (applied from the glance), DISMISSED, or
-- OVERRIDDEN (set the field to something else after the suggestion was shown). Who decided is not kept.
CREATE TABLE IF NOT EXISTS feedback (
    client_key    VARCHAR,
    feedback_id   VARCHAR,
    project_key   VARCHAR NOT NULL,
    issue_id      BIGINT NOT NULL,
    target        VARCHAR NOT NULL,
    action        VARCHAR NOT NULL,
    suggested     VARCHAR,
    chosen        VARCHAR,
    probability   DOUBLE,
    model_version INT,
    at            TIMESTAMP NOT NULL,
    PRIMARY KEY (client_key, feedback_id)
) WITH "template=partitioned,backups=1,write_synchronization_mode=full_sync,affinity_key=client_key,cache_name=feedback";

CREATE INDEX IF NOT EXISTS feedback_issue ON feedback (client_key, issue_id);
CREATE INDEX IF NOT EXISTS feedback_project ON feedback (client_key, project_key, target, at);

-- At most one row per issue and target: auto-apply acts once on a new issue, so a value a person later changes
-- or removes is never applied again. mode ON wrote value to Jira (state APPLIED, or FAILED with the reason);
-- SHADOW only recorded it (WOULD_APPLY). OVERRIDDEN: a person set the field to something else afterwards.
CREATE TABLE IF NOT EXISTS auto_apply (
    client_key    VARCHAR,
    issue_id      BIGINT,
    target        VARCHAR,
    project_key   VARCHAR NOT NULL,
    mode          VARCHAR NOT NULL,
    applied_value VARCHAR NOT NULL,
    probability   DOUBLE NOT NULL,
    model_version INT NOT NULL,
    state         VARCHAR NOT NULL,
    detail        VARCHAR,
    decided_at    TIMESTAMP NOT NULL,
    PRIMARY KEY (client_key, issue_id, target)
) WITH "template=partitioned,backups=1,write_synchronization_mode=full_sync,affinity_key=client_key,cache_name=auto_apply";

CREATE INDEX IF NOT EXISTS auto_apply_project ON auto_apply (client_key, project_key, target);
