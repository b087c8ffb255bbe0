-- edited after it was applied
CREATE TABLE IF NOT EXISTS apply_log (id VARCHAR PRIMARY KEY, script VARCHAR, extra INT);
