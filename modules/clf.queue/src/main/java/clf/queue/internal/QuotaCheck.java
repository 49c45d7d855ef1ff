package clf.queue.internal;

import clf.queue.EnqueueRules;
import clf.queue.QuotaExceededException;
import clf.queue.sql.Session;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * A requester's limits of {@link EnqueueRules}, checked in the transaction that stores its job.
 * Each engine counts with its own query; the caller makes the check race-free (SQLite: its one
 * writer; PostgreSQL: a lock per requester).
 */
public final class QuotaCheck {
    private QuotaCheck() {
    }

    /**
     * Refuses a job that would take its requester past {@code rules}; skipped when there are none.
     *
     * @param activeSql with the requester as its one parameter: its active jobs, and the payload bytes of its queued ones
     */
    public static void check(Session session, String activeSql, String requester, long payloadBytes, EnqueueRules rules)
            throws SQLException {
        if (rules.maxActive() == Integer.MAX_VALUE && rules.maxQueuedPayloadBytes() == Long.MAX_VALUE) {
            return;
        }
        PreparedStatement select = session.prepare(activeSql);
        select.setString(1, requester);
        long active;
        long queuedBytes;
        try (ResultSet rows = select.executeQuery()) {
            rows.next();
            active = rows.getLong(1);
            queuedBytes = (long) rows.getDouble(2);
        }
        refuseBeyond(requester, active, queuedBytes, payloadBytes, rules);
    }

    /**
     * Refuses a job of {@code payloadBytes} that would take its requester past {@code rules},
     * given its {@code active} jobs and the {@code queuedBytes} of its queued payloads: for an
     * engine that counts and stores in one statement.
     */
    public static void refuseBeyond(String requester, long active, long queuedBytes, long payloadBytes,
            EnqueueRules rules) {
        if (active >= rules.maxActive()) {
            throw new QuotaExceededException(QuotaExceededException.Quota.ACTIVE_JOBS, rules.maxActive(),
                    "requester " + requester + " has " + active + " queued or running jobs, the most it may have ("
                            + rules.maxActive() + "); wait for some to end");
        }
        if (queuedBytes + payloadBytes > rules.maxQueuedPayloadBytes()) {
            throw new QuotaExceededException(QuotaExceededException.Quota.QUEUED_PAYLOAD_BYTES,
                    rules.maxQueuedPayloadBytes(), "requester " + requester + " has " + queuedBytes
                            + " bytes of queued payload; this job's " + payloadBytes + " would pass the most it may have ("
                            + rules.maxQueuedPayloadBytes() + " bytes); wait for some jobs to start");
        }
    }
}
