package com.triageassistant.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

import org.apache.ignite.Ignite;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * Applies the versioned DDL scripts in order, each once per cluster, recorded in {@code schema_version}.
 *
 * <p>Ignite DDL is not transactional: a script that fails half-way leaves its earlier statements applied. Scripts
 * therefore use {@code IF NOT EXISTS} / {@code IF EXISTS} so that the fixed script can simply run again.
 * A {@link ClusterLease} serialises nodes that start together.
 */
public class SchemaMigrator {

    private static final Logger log = LoggerFactory.getLogger(SchemaMigrator.class);
    /** Also held by {@link SnapshotRestore}, so no node creates tables while a snapshot is restored. */
    static final String LOCK_KEY = "schema-migration";
    /** How long DDL waits for a cluster state change (activation, a baseline change) to end. */
    private static final Duration STATE_CHANGE_WAIT = Duration.ofSeconds(60);

    private final Ignite ignite;
    private final IgniteSql sql;
    private final String location;
    private final Duration lockTimeout;
    private final UnaryOperator<String> tableOptions;

    public SchemaMigrator(Ignite ignite, IgniteSql sql, String location, Duration lockTimeout) {
        this(ignite, sql, location, lockTimeout, TableOptions.none());
    }

    /** @param tableOptions rewrites each statement before it runs (see {@link TableOptions}) */
    SchemaMigrator(Ignite ignite, IgniteSql sql, String location, Duration lockTimeout,
                   UnaryOperator<String> tableOptions) {
        this.ignite = ignite;
        this.sql = sql;
        this.location = location;
        this.lockTimeout = lockTimeout;
        this.tableOptions = tableOptions;
    }

    /** @return the versions applied by this call (empty when the schema was already current) */
    public List<Integer> migrate() {
        List<SchemaScript> scripts = loadScripts();
        ClusterLease lease = ClusterLease.acquire(ignite, LOCK_KEY, lockTimeout);
        try {
            return applyPending(scripts);
        } finally {
            lease.release();
        }
    }

    private List<Integer> applyPending(List<SchemaScript> scripts) {
        executeDdl("CREATE TABLE IF NOT EXISTS schema_version ("
                + "version INT PRIMARY KEY, script VARCHAR, checksum VARCHAR, applied_at TIMESTAMP, "
                + "applied_by VARCHAR, duration_ms BIGINT) WITH \"template=partitioned,backups=1,write_synchronization_mode=full_sync\"");
        Map<Integer, String> applied = sql.query("SELECT version, checksum FROM schema_version",
                        row -> Map.entry(row.intValue(0), row.string(1)))
                .stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        List<Integer> newlyApplied = new ArrayList<>();
        for (SchemaScript script : scripts) {
            String appliedChecksum = applied.get(script.version());
            if (appliedChecksum == null) {
                apply(script);
                newlyApplied.add(script.version());
            } else if (!appliedChecksum.equals(script.checksum())) {
                throw new SchemaMigrationException("Schema script " + script.fileName()
                        + " was changed after it was applied; add a new version instead of editing an applied one");
            }
        }
        return newlyApplied;
    }

    private void apply(SchemaScript script) {
        long start = System.nanoTime();
        List<String> statements = script.statements();
        for (int i = 0; i < statements.size(); i++) {
            try {
                executeDdl(tableOptions.apply(statements.get(i)));
            } catch (RuntimeException e) {
                throw new SchemaMigrationException("Schema script " + script.fileName() + " failed at statement "
                        + (i + 1) + " of " + statements.size() + ": " + rootMessage(e), e);
            }
        }
        long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
        sql.update("INSERT INTO schema_version (version, script, checksum, applied_at, applied_by, duration_ms) "
                        + "VALUES (?, ?, ?, ?, ?, ?)", script.version(), script.fileName(), script.checksum(),
                Timestamp.from(Instant.now()), String.valueOf(ignite.cluster().localNode().consistentId()), millis);
        log.info("Applied schema script {} ({} statements, {} ms)", script.fileName(), statements.size(), millis);
    }

    /**
     * Runs one DDL statement. Ignite refuses to create or drop a table while a cluster state change is under way,
     * and a baseline change (a node joined and auto-adjust fired) is one: a node starting next to others meets it
     * at random, so that refusal is waited out; any other failure is final.
     */
    private void executeDdl(String statement) {
        long deadline = System.nanoTime() + STATE_CHANGE_WAIT.toNanos();
        while (true) {
            try {
                sql.execute(statement);
                return;
            } catch (RuntimeException e) {
                if (!rootMessage(e).contains("cluster state change is in progress") || System.nanoTime() > deadline) {
                    throw e;
                }
                log.info("Schema statement waits for a cluster state change to end");
                try {
                    Thread.sleep(200);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private List<SchemaScript> loadScripts() {
        Resource[] resources;
        try {
            resources = new PathMatchingResourcePatternResolver().getResources(location);
        } catch (IOException e) {
            throw new SchemaMigrationException("Cannot list schema scripts at " + location, e);
        }
        Map<Integer, SchemaScript> byVersion = new TreeMap<>();
        for (Resource resource : resources) {
            SchemaScript script = SchemaScript.parse(resource.getFilename(), read(resource));
            SchemaScript clash = byVersion.put(script.version(), script);
            if (clash != null) {
                throw new SchemaMigrationException("Schema scripts " + clash.fileName() + " and "
                        + script.fileName() + " share version " + script.version());
            }
        }
        return List.copyOf(byVersion.values());
    }

    private static String read(Resource resource) {
        try (InputStream in = resource.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SchemaMigrationException("Cannot read schema script " + resource.getFilename(), e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    }
}
