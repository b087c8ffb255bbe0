package com.triageassistant.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.binary.BinaryObject;
import org.apache.ignite.binary.BinaryObjectBuilder;
import org.apache.ignite.cache.QueryEntity;
import org.apache.ignite.configuration.CacheConfiguration;

/**
 * Single rows of an SQL table read and written by primary key through the cache under it, for the hot paths
 * (acknowledging a webhook, authenticating a request): an SQL statement costs a parse-cache lookup, query
 * registration and a two-step plan even for one key, about 5 times the work of a cache operation. Indexes and
 * SQL see these writes like any other. Column names are the table's; values must have the columns' SQL types
 * (VARCHAR: String, INT: Integer, BIGINT: Long, TIMESTAMP: java.sql.Timestamp, BOOLEAN: Boolean).
 */
public final class TableRows {

    private final Ignite ignite;
    private final IgniteCache<Object, BinaryObject> cache;
    private final String keyType;
    private final String valueType;
    /** The primary key column of a one-column key; null for a composite key. */
    private final String keyColumn;
    private final Set<String> keyColumns;

    private TableRows(Ignite ignite, IgniteCache<Object, BinaryObject> cache, QueryEntity entity) {
        this.ignite = ignite;
        this.cache = cache;
        this.keyType = entity.getKeyType();
        this.valueType = entity.getValueType();
        this.keyColumns = entity.getKeyFields() == null ? Set.of() : Set.copyOf(entity.getKeyFields());
        this.keyColumn = keyColumns.isEmpty() ? entity.getKeyFieldName() : null;
    }

    /** @param cacheName the table's {@code cache_name} */
    @SuppressWarnings("unchecked")
    public static TableRows of(Ignite ignite, String cacheName) {
        IgniteCache<Object, Object> cache = ignite.cache(cacheName);
        if (cache == null) {
            throw new IllegalStateException("No table with cache_name=" + cacheName);
        }
        QueryEntity entity = ((CacheConfiguration<?, ?>) cache.getConfiguration(CacheConfiguration.class))
                .getQueryEntities().iterator().next();
        return new TableRows(ignite, (IgniteCache<Object, BinaryObject>) (IgniteCache<?, ?>) cache.withKeepBinary(),
                entity);
    }

    /**
     * The cache key of a row: the value itself for a one-column primary key, else the key object.
     *
     * @param columns primary key column names and values, alternating
     */
    public Object key(Object... columns) {
        if (keyColumns.isEmpty()) {
            return columns[1];
        }
        BinaryObjectBuilder key = ignite.binary().builder(keyType);
        for (int i = 0; i < columns.length; i += 2) {
            key.setField(field((String) columns[i]), columns[i + 1]);
        }
        return key.build();
    }

    /** The row under this key, with the given columns in order (key columns included), as a query would return. */
    public Optional<IgniteSql.Row> get(Object key, List<String> columns) {
        BinaryObject value = cache.get(key);
        if (value == null) {
            return Optional.empty();
        }
        List<Object> values = new ArrayList<>(columns.size());
        for (String column : columns) {
            String field = field(column);
            if (field.equals(keyColumn)) {
                values.add(key);
            } else if (keyColumns.contains(field)) {
                values.add(((BinaryObject) key).field(field));
            } else {
                values.add(value.field(field));
            }
        }
        return Optional.of(new IgniteSql.Row(values));
    }

    /** @return false when a row with this key exists (it is left unchanged) */
    public boolean putIfAbsent(Object key, Map<String, ?> columns) {
        return cache.putIfAbsent(key, value(columns));
    }

    /** Writes the whole row: columns not given become null. */
    public void put(Object key, Map<String, ?> columns) {
        cache.put(key, value(columns));
    }

    private BinaryObject value(Map<String, ?> columns) {
        BinaryObjectBuilder value = ignite.binary().builder(valueType);
        columns.forEach((column, content) -> {
            if (content != null) {
                value.setField(field(column), content);
            }
        });
        return value.build();
    }

    private static String field(String column) {
        return column.toUpperCase(Locale.ROOT);
    }
}
