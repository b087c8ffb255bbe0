INSERT INTO apply_log (id, script) VALUES (CAST(RANDOM_UUID() AS VARCHAR), 'V2');
