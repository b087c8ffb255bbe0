-- a statement with a ';' inside a string must not be split
INSERT INTO apply_log (id, script) VALUES (CAST(RANDOM_UUID() AS VARCHAR), 'V3');
INSERT INTO apply_log (id, script) VALUES ('semi;colon', 'V3-literal');
