package com.triageassistant.ingest;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.triageassistant.store.IgniteSql;
import com.triageassistant.store.TableRows;
import org.springframework.stereotype.Repository;

/** Accepted webhook deliveries, from acknowledgement until processed (or parked as dead). */
@Repository
public class WebhookInbox {

    static final String PENDING = "PENDING";
    static final String DONE = "DONE";
    static final String DEAD = "DEAD";

    /** One delivery as stored. */
    public record Delivery(String clientKey, String deliveryId, String event, String payload, String state,
                           int attempts, Instant receivedAt, Instant nextAttemptAt, String lastError) {
    }

    private static final String COLUMNS = "client_key, delivery_id, event, payload, state, attempts, received_at, "
            + "next_attempt_at, last_error";

    private final IgniteSql sql;
    private final TableRows rows;
    private final Clock clock;

    WebhookInbox(IgniteSql sql, Clock clock) {
        this.sql = sql;
        this.rows = sql.rows("webhook_inbox");
        this.clock = clock;
    }

    /**
     * Written by key: this is the acknowledgement path, and a cache write is a fraction of an SQL INSERT's work.
     *
     * @return false when this delivery was already accepted (a duplicate or a retry)
     */
    boolean accept(String clientKey, String deliveryId, String event, String payload) {
        Timestamp now = Timestamp.from(clock.instant());
        return rows.putIfAbsent(key(clientKey, deliveryId), Map.of("event", event, "payload", payload,
                "state", PENDING, "attempts", 0, "received_at", now, "next_attempt_at", now));
    }

    /**
     * Pending deliveries whose time has come, longest due first. Ordered by the whole index prefix: ordered by
     * next_attempt_at alone, H2 sorts every pending row before the limit (15 ms instead of 0.8 ms at 10,000).
     */
    List<Delivery> due(int limit) {
        return sql.query("SELECT " + COLUMNS + " FROM webhook_inbox USE INDEX (webhook_inbox_due) "
                + "WHERE state = ? AND next_attempt_at <= ? ORDER BY state, next_attempt_at LIMIT ?", this::toDelivery, PENDING, Timestamp.from(clock.instant()), limit);
    }

    /**
     * Processed: the payload (personal data) goes; the row stays a while to recognise late duplicates. Rewritten
     * whole by key (once per delivery, as hot as the acknowledgement).
     */
    void markDone(Delivery delivery) {
        rows.put(key(delivery.clientKey(), delivery.deliveryId()), Map.of("event", delivery.event(), "state", DONE,
                "attempts", delivery.attempts() + 1, "received_at", Timestamp.from(delivery.receivedAt()),
                "next_attempt_at", Timestamp.from(delivery.nextAttemptAt()),
                "finished_at", Timestamp.from(clock.instant())));
    }

    private Object key(String clientKey, String deliveryId) {
        return rows.key("client_key", clientKey, "delivery_id", deliveryId);
    }

    void retryLater(Delivery delivery, Instant at, String error) {
        sql.update("UPDATE webhook_inbox SET attempts = ?, next_attempt_at = ?, last_error = ? "
                        + "WHERE client_key = ? AND delivery_id = ?", delivery.attempts() + 1, Timestamp.from(at),
                error, delivery.clientKey(), delivery.deliveryId());
    }

    /** Not yet, and not the delivery's fault: its attempts stay as they are. */
    void postpone(Delivery delivery, Instant at, String error) {
        sql.update("UPDATE webhook_inbox SET next_attempt_at = ?, last_error = ? WHERE client_key = ? "
                + "AND delivery_id = ?", Timestamp.from(at), error, delivery.clientKey(), delivery.deliveryId());
    }

    void park(Delivery delivery, String error) {
        sql.update("UPDATE webhook_inbox SET state = ?, attempts = ?, finished_at = ?, last_error = ? "
                        + "WHERE client_key = ? AND delivery_id = ?", DEAD, delivery.attempts() + 1,
                Timestamp.from(clock.instant()), error, delivery.clientKey(), delivery.deliveryId());
    }

    public List<Delivery> dead(String clientKey) {
        return sql.query("SELECT " + COLUMNS + " FROM webhook_inbox WHERE client_key = ? AND state = ? "
                + "ORDER BY received_at", this::toDelivery, clientKey, DEAD);
    }

    /** Puts a dead delivery back in line, with fresh attempts. @return false if there is no such dead delivery */
    public boolean replay(String clientKey, String deliveryId) {
        return sql.update("UPDATE webhook_inbox SET state = ?, attempts = 0, next_attempt_at = ?, finished_at = NULL "
                + "WHERE client_key = ? AND delivery_id = ? AND state = ?", PENDING, Timestamp.from(clock.instant()),
                clientKey, deliveryId, DEAD) > 0;
    }

    public long count(String clientKey, String state) {
        return sql.query("SELECT COUNT(*) FROM webhook_inbox WHERE client_key = ? AND state = ?",
                row -> row.longValue(0), clientKey, state).get(0);
    }

    /** What waits in the inbox of the whole cluster: pending deliveries, the oldest one's arrival, dead ones. */
    record Backlog(long pending, Instant oldestPending, long dead) {
    }

    /** Two index range scans (the state is the due index's prefix); done rows, the bulk, are not read. */
    Backlog backlog() {
        long dead = sql.query("SELECT COUNT(*) FROM webhook_inbox USE INDEX (webhook_inbox_due) WHERE state = ?",
                row -> row.longValue(0), DEAD).get(0);
        return sql.query("SELECT COUNT(*), MIN(received_at) FROM webhook_inbox USE INDEX (webhook_inbox_due) "
                + "WHERE state = ?", row -> new Backlog(row.longValue(0), row.instant(1), dead), PENDING).get(0);
    }

    /** An erased account must not linger in payloads still waiting or parked. */
    void scrubAccount(String clientKey, String accountId) {
        sql.update("UPDATE webhook_inbox SET payload = REPLACE(payload, ?, 'erased-account') "
                + "WHERE client_key = ? AND payload IS NOT NULL", accountId, clientKey);
    }

    /** Forgets processed deliveries older than the duplicate window. */
    long purgeDone(Instant before) {
        return sql.update("DELETE FROM webhook_inbox WHERE state = ? AND finished_at < ?", DONE, Timestamp.from(before));
    }

    private Delivery toDelivery(IgniteSql.Row row) {
        return new Delivery(row.string(0), row.string(1), row.string(2), row.string(3), row.string(4),
                row.intValue(5), row.instant(6), row.instant(7), row.string(8));
    }
}
