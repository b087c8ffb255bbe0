package com.triageassistant.ml;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.triageassistant.store.IgniteSql;
import com.triageassistant.store.TenantLocks;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Repository;

/**
 * Every trained version of every model, in Ignite so any node can serve it and it survives restarts. At most one
 * version per tenant, project and target is ACTIVE; the newest {@value #KEPT_ARTIFACTS} keep their artifact for
 * rollback, older ones only their metrics.
 */
@Repository
public class ModelRegistry {

    public static final String ACTIVE = "ACTIVE";
    public static final String RETIRED = "RETIRED";
    public static final String REJECTED = "REJECTED";
    /** Training found too little data; the result says how much there was and how much is needed. */
    public static final String INSUFFICIENT = "INSUFFICIENT";
    /**
     * The model scored below a simple prior (the most frequent value, overall or recently) on the hold-out: it has
     * no artifact and never serves; the result holds both scores (see {@link BaselineVerdict}). A model already
     * in service stays so.
     */
    public static final String BELOW_BASELINE = "BELOW_BASELINE";

    static final int KEPT_ARTIFACTS = 3;

    /** One version's record, without its artifact bytes. */
    public record ModelVersion(String clientKey, String projectKey, String target, int version, String status,
                               String sklearnVersion, String numpyVersion, String mainMetric, Double mainValue,
                               Double comparedWith, int samples, String result, Instant trainedAt,
                               boolean hasArtifact) {
    }

    /** What a training produced, to be recorded. */
    public record NewVersion(String status, byte[] artifact, String sklearnVersion, String numpyVersion,
                             String mainMetric, Double mainValue, Double comparedWith, int samples, String result) {
    }

    private static final String COLUMNS = "client_key, project_key, target, version, status, sklearn_version, "
            + "numpy_version, main_metric, main_value, compared_with, samples, result, trained_at, "
            + "artifact IS NOT NULL";

    private record ProjectRef(String clientKey, String projectKey) {
    }

    private final IgniteSql sql;
    private final TenantLocks locks;
    private final Clock clock;
    /**
     * Every issue change asks which models serve its project, and that SQL query cost more than the rest of applying
     * a webhook. The answer is kept for a second: this node's own changes drop it at once, another node's are seen
     * within the second (a suggestion made meanwhile names the older version, and the glance asks for a fresh one
     * when it sees that).
     */
    private final Cache<ProjectRef, List<ModelVersion>> serving = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterWrite(Duration.ofSeconds(1)).recordStats().build();

    ModelRegistry(IgniteSql sql, TenantLocks locks, Clock clock, MeterRegistry meters) {
        this.sql = sql;
        this.locks = locks;
        this.clock = clock;
        FunctionCounter.builder("triage.model.cache.requests", serving, cache -> cache.stats().hitCount())
                .tag("result", "hit").description("lookups of a project's models in service, by result")
                .register(meters);
        FunctionCounter.builder("triage.model.cache.requests", serving, cache -> cache.stats().missCount())
                .tag("result", "miss").description("lookups of a project's models in service, by result")
                .register(meters);
        Gauge.builder("triage.model.cache.size", serving, Cache::estimatedSize)
                .description("projects whose models in service this node holds (for up to a second)")
                .register(meters);
    }

    public Optional<ModelVersion> active(String clientKey, String projectKey, String target) {
        return sql.query("SELECT " + COLUMNS + " FROM model WHERE client_key = ? AND project_key = ? AND target = ? "
                + "AND status = ?", this::toVersion, clientKey, projectKey, target, ACTIVE).stream().findFirst();
    }

    /** The project's models in service, every target at once; up to a second old when another node changed them. */
    public List<ModelVersion> activeModels(String clientKey, String projectKey) {
        return serving.get(new ProjectRef(clientKey, projectKey), project -> sql.query("SELECT " + COLUMNS
                + " FROM model WHERE client_key = ? AND project_key = ? AND status = ? ORDER BY target", this::toVersion,
                clientKey, projectKey, ACTIVE));
    }

    /** Active models of every tenant trained before {@code before}: candidates for the scheduled retraining. */
    public List<ModelVersion> activeTrainedBefore(Instant before) {
        return sql.query("SELECT " + COLUMNS + " FROM model WHERE status = ? AND trained_at < ?", this::toVersion,
                ACTIVE, Timestamp.from(before));
    }

    /** Newest first. */
    public List<ModelVersion> versions(String clientKey, String projectKey, String target) {
        return sql.query("SELECT " + COLUMNS + " FROM model WHERE client_key = ? AND project_key = ? AND target = ? "
                + "ORDER BY version DESC", this::toVersion, clientKey, projectKey, target);
    }

    public Optional<byte[]> artifact(String clientKey, String projectKey, String target, int version) {
        return sql.query("SELECT artifact FROM model WHERE client_key = ? AND project_key = ? AND target = ? "
                + "AND version = ? AND artifact IS NOT NULL", row -> (byte[]) row.values().get(0), clientKey,
                projectKey, target, version).stream().findFirst();
    }

    /**
     * Records a new version; if its status is ACTIVE the previous active one is retired in the same step. Artifacts
     * beyond the newest {@value #KEPT_ARTIFACTS} are dropped.
     */
    public ModelVersion record(String clientKey, String projectKey, String target, NewVersion trained) {
        return underLock(clientKey, projectKey, () -> {
            int version = sql.query("SELECT COALESCE(MAX(version), 0) FROM model WHERE client_key = ? "
                    + "AND project_key = ? AND target = ?", row -> row.intValue(0), clientKey, projectKey, target)
                    .get(0) + 1;
            if (ACTIVE.equals(trained.status())) {
                retireActive(clientKey, projectKey, target);
            }
            sql.update("INSERT INTO model (client_key, project_key, target, version, status, artifact, "
                            + "sklearn_version, numpy_version, main_metric, main_value, compared_with, samples, result, "
                            + "trained_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    clientKey, projectKey, target, version, trained.status(), trained.artifact(),
                    trained.sklearnVersion(), trained.numpyVersion(), trained.mainMetric(), trained.mainValue(),
                    trained.comparedWith(), trained.samples(), trained.result(), Timestamp.from(clock.instant()));
            sql.update("UPDATE model SET artifact = NULL WHERE client_key = ? AND project_key = ? AND target = ? "
                    + "AND version <= ? AND status <> ?", clientKey, projectKey, target, version - KEPT_ARTIFACTS,
                    ACTIVE);
            return versions(clientKey, projectKey, target).get(0);
        });
    }

    /**
     * Puts a kept version back in service (an admin's rollback, or the last good one after a bad promotion).
     *
     * @return false if that version has no artifact any more
     */
    public boolean activate(String clientKey, String projectKey, String target, int version) {
        return underLock(clientKey, projectKey, () -> {
            if (artifact(clientKey, projectKey, target, version).isEmpty()) {
                return false;
            }
            retireActive(clientKey, projectKey, target);
            sql.update("UPDATE model SET status = ? WHERE client_key = ? AND project_key = ? AND target = ? "
                    + "AND version = ?", ACTIVE, clientKey, projectKey, target, version);
            return true;
        });
    }

    /** The active version cannot be loaded by this sidecar (corrupt, or an older artifact format): stop serving it. */
    public void retire(String clientKey, String projectKey, String target, int version) {
        sql.update("UPDATE model SET status = ? WHERE client_key = ? AND project_key = ? AND target = ? "
                + "AND version = ? AND status = ?", RETIRED, clientKey, projectKey, target, version, ACTIVE);
        serving.invalidate(new ProjectRef(clientKey, projectKey));
    }

    /**
     * Forgets a version's artifact (it names an erased person); an ACTIVE version is retired with it, since it can
     * no longer be loaded. Its metrics stay.
     */
    public void dropArtifact(String clientKey, String projectKey, String target, int version) {
        underLock(clientKey, projectKey, () -> {
            sql.update("UPDATE model SET artifact = NULL, status = CASE WHEN status = ? THEN ? ELSE status END "
                    + "WHERE client_key = ? AND project_key = ? AND target = ? AND version = ?", ACTIVE, RETIRED,
                    clientKey, projectKey, target, version);
            return null;
        });
    }

    /** Version numbers and the single ACTIVE row are decided under the tenant's lock. */
    private <T> T underLock(String clientKey, String projectKey, Supplier<T> work) {
        ReentrantLock lock = locks.of(clientKey);
        lock.lock();
        try {
            return work.get();
        } finally {
            serving.invalidate(new ProjectRef(clientKey, projectKey));
            lock.unlock();
        }
    }

    private void retireActive(String clientKey, String projectKey, String target) {
        sql.update("UPDATE model SET status = ? WHERE client_key = ? AND project_key = ? AND target = ? "
                + "AND status = ?", RETIRED, clientKey, projectKey, target, ACTIVE);
    }

    private ModelVersion toVersion(IgniteSql.Row row) {
        return new ModelVersion(row.string(0), row.string(1), row.string(2), row.intValue(3), row.string(4),
                row.string(5), row.string(6), row.string(7), nullableDouble(row, 8), nullableDouble(row, 9),
                row.intValue(10), row.string(11), row.instant(12), row.bool(13));
    }

    private static Double nullableDouble(IgniteSql.Row row, int column) {
        Object value = row.values().get(column);
        return value == null ? null : ((Number) value).doubleValue();
    }
}
