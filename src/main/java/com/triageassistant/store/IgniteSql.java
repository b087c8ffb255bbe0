package com.triageassistant.store;

import java.util.List;
import java.util.function.Function;

import javax.cache.CacheException;

import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.cache.CacheMode;
import org.apache.ignite.cache.query.FieldsQueryCursor;
import org.apache.ignite.cache.query.SqlFieldsQuery;
import org.apache.ignite.configuration.CacheConfiguration;
import org.apache.ignite.internal.processors.cache.query.IgniteQueryErrorCode;
import org.apache.ignite.internal.processors.query.IgniteSQLException;

/**
 * The one way the app talks SQL to Ignite. Statements run in the {@code PUBLIC} schema through an empty gateway
 * cache, because Ignite's public API executes SQL only through a cache handle.
 */
public class IgniteSql {

    static final String GATEWAY_CACHE = "triage_sql_replicated_gateway";
    /**
     * The partitioned gateway of earlier versions. Ignite keeps a persisted cache's first configuration, so the
     * replicated one needs a name of its own; the old one goes, or it would still block the baseline (see below).
     */
    static final String LEGACY_GATEWAY_CACHE = "triage_sql_gateway";

    private final Ignite ignite;
    private final IgniteCache<?, ?> gateway;

    public IgniteSql(Ignite ignite) {
        this.ignite = ignite;
        // Replicated: a partitioned gateway has no backups, so a node's death left some of its (empty) partitions
        // without an owner, and Ignite then refuses to adjust the baseline ("lost partitions") and never gives the
        // dead node's tenant partitions a new backup. A replicated one loses nothing while any node is up.
        this.gateway = ignite.getOrCreateCache(new CacheConfiguration<>(GATEWAY_CACHE).setSqlSchema("PUBLIC")
                .setCacheMode(CacheMode.REPLICATED));
        // A no-op once gone; nodes starting together may both ask.
        ignite.destroyCache(LEGACY_GATEWAY_CACHE);
    }

    /** Runs a query and maps every row (a list of column values in select order). */
    public <T> List<T> query(String sql, Function<Row, T> mapper, Object... args) {
        try (FieldsQueryCursor<List<?>> cursor = gateway.query(statement(sql, args))) {
            return cursor.getAll().stream().map(Row::new).map(mapper).toList();
        }
    }

    /** Runs an INSERT, MERGE, UPDATE or DELETE and returns the number of rows it touched. */
    public long update(String sql, Object... args) {
        try (FieldsQueryCursor<List<?>> cursor = gateway.query(statement(sql, args))) {
            List<List<?>> rows = cursor.getAll();
            return rows.isEmpty() ? 0 : ((Number) rows.get(0).get(0)).longValue();
        }
    }

    /**
     * Runs an INSERT whose row may already exist.
     *
     * @return false when the key was already there (nothing changed)
     */
    public boolean insertIfAbsent(String sql, Object... args) {
        try {
            update(sql, args);
            return true;
        } catch (CacheException e) {
            if (isDuplicateKey(e)) {
                return false;
            }
            throw e;
        }
    }

    private static boolean isDuplicateKey(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof IgniteSQLException sqlError
                    && sqlError.statusCode() == IgniteQueryErrorCode.DUPLICATE_KEY) {
                return true;
            }
        }
        return false;
    }

    /** Key-value access to the rows of a table (by its {@code cache_name}), for hot single-row paths. */
    public TableRows rows(String cacheName) {
        return TableRows.of(ignite, cacheName);
    }

    /** Runs DDL. */
    public void execute(String sql) {
        gateway.query(statement(sql)).getAll();
    }

    private static SqlFieldsQuery statement(String sql, Object... args) {
        return new SqlFieldsQuery(sql).setSchema("PUBLIC").setArgs(args);
    }

    /** One result row; typed accessors keep the casts in one place. */
    public record Row(List<?> values) {

        public String string(int column) {
            Object value = values.get(column);
            return value == null ? null : value.toString();
        }

        public long longValue(int column) {
            Object value = values.get(column);
            return value == null ? 0 : ((Number) value).longValue();
        }

        public int intValue(int column) {
            Object value = values.get(column);
            return value == null ? 0 : ((Number) value).intValue();
        }

        /** null stays null: a metric that was not computed is not 0. */
        public Double doubleValue(int column) {
            Object value = values.get(column);
            return value == null ? null : ((Number) value).doubleValue();
        }

        public boolean bool(int column) {
            return Boolean.TRUE.equals(values.get(column));
        }

        public java.sql.Timestamp timestamp(int column) {
            return (java.sql.Timestamp) values.get(column);
        }

        public java.time.Instant instant(int column) {
            java.sql.Timestamp value = timestamp(column);
            return value == null ? null : value.toInstant();
        }
    }
}
