package clf.queue.internal.sqlite;

import clf.queue.EnqueueRules;
import clf.queue.JobStatus;
import clf.queue.QuotaExceededException;
import clf.queue.sql.Session;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** A requester's limits of {@link EnqueueRules}, checked in the transaction that stores its job. */
final class Quotas {
    /**
     * A requester's active jobs and its queued payload: a walk of its entries in
     * {@code jobs_active_by_requester}, as many as its limit of active jobs at most.
     */
    static final String ACTIVE_SQL = """
            SELECT count(*), total(CASE WHEN %s THEN payload_bytes END)
              FROM jobs INDEXED BY jobs_active_by_requester
             WHERE requester = ? AND %s
            """.formatted(StatusSql.is(JobStatus.QUEUED), StatusSql.in(JobStatus.ACTIVE));

    private Quotas() {
    }

    /** Refuses a job that would take its requester past {@code rules}; skipped when there are none. */
    static void check(Session session, String requester, long payloadBytes, EnqueueRules rules) throws SQLException {
        if (rules.maxActive() == Integer.MAX_VALUE && rules.maxQueuedPayloadBytes() == Long.MAX_VALUE) {
            return;
        }
        PreparedStatement select = session.prepare(ACTIVE_SQL);
        select.setString(1, requester);
        long active;
        long queuedBytes;
        try (ResultSet rows = select.executeQuery()) {
            rows.next();
            active = rows.getLong(1);
            queuedBytes = (long) rows.getDouble(2);
        }
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
