package clf.queue.internal;

import static clf.queue.JobStatus.RUNNING;

import clf.queue.JobEvent;
import clf.queue.LeaseStatus;
import clf.queue.sql.Session;
import clf.queue.sql.SqlEngine;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Leases on running jobs: renewing one, and taking back the jobs of workers whose lease ran out. */
public final class Leases {
    /** Expired leases taken back in one transaction at most. */
    public static final int RECLAIM_BATCH = 100;

    static final String EXTEND_SQL = """
            UPDATE jobs SET lease_until = ?
             WHERE job_id = ? AND %s AND locked_by = ?
            RETURNING cancel_requested
            """.formatted(StatusSql.is(RUNNING));

    private Leases() {
    }

    /**
     * Running jobs whose lease ran out, oldest lease first. On PostgreSQL rows another host is
     * taking back right now are skipped, not waited for.
     */
    public static String expiredSql(SqlEngine engine) {
        return """
                SELECT seq, job_id, attempt, max_attempts, locked_by, cancel_requested FROM jobs%s
                 WHERE %s AND lease_until <= ?
                 ORDER BY lease_until
                 LIMIT ?%s
                """.formatted(EngineSql.indexedBy(engine, "jobs_by_lease"), StatusSql.is(RUNNING),
                engine == SqlEngine.POSTGRESQL ? " FOR UPDATE SKIP LOCKED" : "");
    }

    /** A running job whose lease ran out. */
    private record Expired(long seq, String jobId, int attempt, int maxAttempts, String worker,
            boolean cancelRequested) {
    }

    /**
     * Takes back up to {@link #RECLAIM_BATCH} expired leases inside the caller's write
     * transaction: a job with attempts left is queued again, one on its last attempt fails, one
     * whose cancel was requested ends canceled.
     *
     * @return how many were taken back
     */
    public static int reclaimExpired(Session session, SqlEngine engine, long now) throws SQLException {
        PreparedStatement expired = session.prepare(expiredSql(engine));
        Session.bind(expired, now, RECLAIM_BATCH);
        List<Expired> rows = new ArrayList<>();
        try (ResultSet result = expired.executeQuery()) {
            while (result.next()) {
                rows.add(new Expired(result.getLong(1), result.getString(2), result.getInt(3), result.getInt(4),
                        result.getString(5), result.getInt(6) != 0));
            }
        }
        for (Expired row : rows) {
            String why = "lease of worker " + row.worker() + " expired during attempt " + row.attempt()
                    + " of " + row.maxAttempts();
            if (row.cancelRequested()) {
                Transitions.end(session, row.seq(), Transitions.END_CANCELED, now, why);
                EventLog.insert(session, row.jobId(), now, JobEvent.CANCEL, why, row.attempt());
            } else if (row.attempt() >= row.maxAttempts()) {
                Transitions.end(session, row.seq(), Transitions.FAIL, now, why);
                EventLog.insert(session, row.jobId(), now, JobEvent.FAIL, why, row.attempt());
            } else {
                Transitions.requeue(session, row.seq(), now, now, why, row.attempt());
                EventLog.insert(session, row.jobId(), now, JobEvent.RECLAIM, why, row.attempt());
            }
        }
        return rows.size();
    }

    /** Renews {@code workerId}'s lease to {@code leaseUntil}, inside the caller's write transaction. */
    public static LeaseStatus extend(Session session, String jobId, String workerId, long leaseUntil)
            throws SQLException {
        PreparedStatement extend = session.prepare(EXTEND_SQL);
        Session.bind(extend, leaseUntil, jobId, workerId);
        try (ResultSet rows = extend.executeQuery()) {
            if (!rows.next()) {
                return LeaseStatus.LOST;
            }
            return rows.getInt(1) != 0 ? LeaseStatus.CANCEL_REQUESTED : LeaseStatus.HELD;
        }
    }
}
