-- Each later script appends a row; counting rows proves how often a script ran.
CREATE TABLE IF NOT EXISTS apply_log (id VARCHAR PRIMARY KEY, script VARCHAR);
