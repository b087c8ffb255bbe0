-- Models now decide per value what they suggest and what they would auto-apply (thresholds chosen on validation);
-- a project's thresholds become floors on top of those decisions, 0 meaning "the model's choice".

-- The auto-apply floor, separate from the suggestion floor (auto-apply used the suggestion threshold before).
ALTER TABLE target_settings ADD COLUMN IF NOT EXISTS auto_threshold DOUBLE;

-- An admin who chose a threshold of their own chose it for auto-apply too (it was the one auto-apply needed): it
-- stays their auto-apply floor, so the upgrade does not loosen what they asked for.
UPDATE target_settings SET auto_threshold = threshold
WHERE auto_threshold IS NULL AND NOT ((target = 'assignee' AND threshold = CAST(0.2 AS DOUBLE))
    OR (target = 'priority' AND threshold = CAST(0.4 AS DOUBLE))
    OR (target IN ('labels', 'components') AND threshold = CAST(0.5 AS DOUBLE)));

UPDATE target_settings SET auto_threshold = 0 WHERE auto_threshold IS NULL;

-- Settings still at the old defaults were never a choice (a save of other settings stores them as shown), so those
-- tenants get the model's thresholds, as new ones do.
UPDATE target_settings SET threshold = 0
WHERE (target = 'assignee' AND threshold = CAST(0.2 AS DOUBLE))
    OR (target = 'priority' AND threshold = CAST(0.4 AS DOUBLE))
    OR (target IN ('labels', 'components') AND threshold = CAST(0.5 AS DOUBLE));
