-- Every value a target's suggestion ranked for an issue since the row was first stored, with its probability and
-- model version: a person's Apply may reach the app after the edit's own webhook replaced the ranking they saw.
ALTER TABLE suggestion ADD COLUMN IF NOT EXISTS offered VARCHAR;
