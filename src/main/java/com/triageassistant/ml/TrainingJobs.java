package com.triageassistant.ml;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.triageassistant.store.IgniteSql;
import org.springframework.stereotype.Repository;

/**
 * Durable training jobs, one row per tenant, project and target. Requesting a job that is pending moves nothing
 * (debounce); requesting one that is running marks it to run once more when it ends. A job found RUNNING at start
 * was cut off by a crash and runs again.
 */
@Repository
public class TrainingJobs {

    public static final String PENDING = "PENDING";
    public static final String RUNNING = "RUNNING";
    public static final String DONE = "DONE";
    public static final String FAILED = "FAILED";

    /** One job as stored. */
    public record Job(String clientKey, String projectKey, String target, String state, String reason, boolean rerun,
                      int attempts, Instant requestedAt, Instant nextRunAt, Instant startedAt, Instant finishedAt,
                      String node, String lastError) {
    }

    private static final String COLUMNS = "client_key, project_key, target, state, reason, rerun, attempts, "
            + "requested_at, next_run_at, started_at, finished_at, node, last_error";

    private final IgniteSql sql;
    private final Clock clock;

    TrainingJobs(IgniteSql sql, Clock clock) {
        this.sql = sql;
        this.clock = clock;
    }

    /**
     * Asks for a training at {@code notBefore} at the earliest (now, or later to let a burst of changes settle).
     *
     * @return the job as it now stands
     */
    public Job request(String clientKey, String projectKey, String target, String reason, Instant notBefore) {
        Optional<Job> current = find(clientKey, projectKey, target);
        if (current.isPresent() && current.get().state().equals(RUNNING)) {
            sql.update("UPDATE training_job SET rerun = TRUE WHERE client_key = ? AND project_key = ? AND target = ?",
                    clientKey, projectKey, target);
        } else if (current.isPresent() && current.get().state().equals(PENDING)) {
            // Already waiting: an earlier request keeps its turn, a sooner one (an admin's) brings it forward.
            if (notBefore.isBefore(current.get().nextRunAt())) {
                sql.update("UPDATE training_job SET next_run_at = ?, reason = ? WHERE client_key = ? "
                        + "AND project_key = ? AND target = ? AND state = ?", Timestamp.from(notBefore), reason,
                        clientKey, projectKey, target, PENDING);
            }
        } else {
            sql.update("MERGE INTO training_job (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, FALSE, 0, ?, ?, NULL, NULL, "
                            + "NULL, NULL)", clientKey, projectKey, target, PENDING, reason,
                    Timestamp.from(clock.instant()), Timestamp.from(notBefore));
        }
        return find(clientKey, projectKey, target).orElseThrow();
    }

    public Optional<Job> find(String clientKey, String projectKey, String target) {
        return sql.query("SELECT " + COLUMNS + " FROM training_job WHERE client_key = ? AND project_key = ? "
                + "AND target = ?", this::toJob, clientKey, projectKey, target).stream().findFirst();
    }

    public List<Job> list(String clientKey, String projectKey) {
        return sql.query("SELECT " + COLUMNS + " FROM training_job WHERE client_key = ? AND project_key = ? "
                + "ORDER BY target", this::toJob, clientKey, projectKey);
    }

    /** Pending jobs whose time has come, longest waiting first (so tenants take turns). */
    List<Job> due(int limit) {
        return sql.query("SELECT " + COLUMNS + " FROM training_job USE INDEX (training_job_due) "
                        + "WHERE state = ? AND next_run_at <= ? ORDER BY state, next_run_at LIMIT ?", this::toJob,
                PENDING, Timestamp.from(clock.instant()), limit);
    }

    /** How many jobs of the whole cluster wait ({@link #PENDING}, due or not) and run, through the due index. */
    long[] countPendingAndRunning() {
        return new long[] {count(PENDING), count(RUNNING)};
    }

    private long count(String state) {
        return sql.query("SELECT COUNT(*) FROM training_job USE INDEX (training_job_due) WHERE state = ?",
                row -> row.longValue(0), state).get(0);
    }

    /**
     * Jobs left RUNNING by nodes that are not running them (a crash, a node that left): back in line. Each is
     * requeued only if it is still RUNNING on that same node, so a job another node took over meanwhile (Ignite's
     * failover) is left alone.
     *
     * @param runningHere asked after the rows are read, so a job that starts meanwhile is never taken for an orphan
     */
    int requeueRunningExcept(Collection<String> liveNodes, Set<String> runningHere,
                             String thisNode) {
        int requeued = 0;
        for (Job job : sql.query("SELECT " + COLUMNS + " FROM training_job WHERE state = ?", this::toJob, RUNNING)) {
            boolean orphan = job.node() == null || !liveNodes.contains(job.node())
                    || (job.node().equals(thisNode) && !runningHere.contains(idOf(job)));
            if (orphan) {
                requeued += (int) sql.update("UPDATE training_job SET state = ?, next_run_at = ? WHERE client_key = ? "
                        + "AND project_key = ? AND target = ? AND state = ? AND COALESCE(node, '') = ?", PENDING,
                        Timestamp.from(clock.instant()), job.clientKey(), job.projectKey(), job.target(), RUNNING,
                        nodeOrEmpty(job));
            }
        }
        return requeued;
    }

    static String idOf(Job job) {
        return job.clientKey() + "/" + job.projectKey() + "/" + job.target();
    }

    /**
     * Claims the job for {@code node}, only if it is still as it was read: of two nodes that both got it (a failed-over
     * copy and a fresh dispatch during a topology change) one trains.
     *
     * @return whether this node has it
     */
    boolean started(Job job, String node) {
        return sql.update("UPDATE training_job SET state = ?, started_at = ?, node = ?, rerun = FALSE, attempts = ? "
                        + "WHERE client_key = ? AND project_key = ? AND target = ? AND state = ? "
                        + "AND COALESCE(node, '') = ?", RUNNING, Timestamp.from(clock.instant()), node,
                job.attempts() + 1, job.clientKey(), job.projectKey(), job.target(), job.state(), nodeOrEmpty(job)) == 1;
    }

    private static String nodeOrEmpty(Job job) {
        return job.node() == null ? "" : job.node();
    }

    /** Finished; if more data was asked for meanwhile, it runs once more. */
    void finished(Job job) {
        Instant now = clock.instant();
        boolean rerun = find(job.clientKey(), job.projectKey(), job.target()).map(Job::rerun).orElse(false);
        sql.update("UPDATE training_job SET state = ?, finished_at = ?, next_run_at = ?, rerun = FALSE, attempts = 0, "
                        + "last_error = NULL WHERE client_key = ? AND project_key = ? AND target = ?",
                rerun ? PENDING : DONE, Timestamp.from(now), Timestamp.from(now), job.clientKey(), job.projectKey(),
                job.target());
    }

    void retryLater(Job job, Instant at, String error) {
        sql.update("UPDATE training_job SET state = ?, next_run_at = ?, last_error = ? WHERE client_key = ? "
                + "AND project_key = ? AND target = ?", PENDING, Timestamp.from(at), error, job.clientKey(),
                job.projectKey(), job.target());
    }

    void failed(Job job, String error) {
        sql.update("UPDATE training_job SET state = ?, finished_at = ?, last_error = ? WHERE client_key = ? "
                + "AND project_key = ? AND target = ?", FAILED, Timestamp.from(clock.instant()), error,
                job.clientKey(), job.projectKey(), job.target());
    }

    private Job toJob(IgniteSql.Row row) {
        return new Job(row.string(0), row.string(1), row.string(2), row.string(3), row.string(4), row.bool(5),
                row.intValue(6), row.instant(7), row.instant(8), row.instant(9), row.instant(10), row.string(11),
                row.string(12));
    }
}
