package clf.queue.internal;

import static clf.queue.JobStatus.CANCELED;
import static clf.queue.JobStatus.DONE;
import static clf.queue.JobStatus.FAILED;
import static clf.queue.JobStatus.QUEUED;
import static clf.queue.JobStatus.RUNNING;

import clf.queue.Job;
import clf.queue.internal.StatusSql.Move;
import clf.queue.sql.Session;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.OptionalInt;

/**
 * Every update that moves a job's status, each guarded by the status it moves from (and, where a
 * worker asks, its lock) and each one of the {@link Move}s {@link clf.queue.JobStatus} allows.
 * Run inside the caller's write transaction; the caller writes the event.
 */
public final class Transitions {
    public static final Move CLAIM = new Move(QUEUED, RUNNING);
    public static final Move ACK = new Move(RUNNING, DONE);
    public static final Move FAIL = new Move(RUNNING, FAILED);
    public static final Move END_CANCELED = new Move(RUNNING, CANCELED);
    /** A retry, a reclaimed lease, a release at shutdown. */
    public static final Move REQUEUE = new Move(RUNNING, QUEUED);
    public static final Move CANCEL_QUEUED = new Move(QUEUED, CANCELED);

    private static final String CLAIM_SQL = """
            UPDATE jobs
               SET %s, locked_by = ?, lease_until = ?, updated_at = ?, attempt = attempt + 1
             WHERE seq = ? AND %s
            RETURNING\s""".formatted(CLAIM.set(), CLAIM.guard()) + JobRows.COLUMNS;
    private static final String ACK_SQL = """
            UPDATE jobs SET %s, locked_by = NULL, lease_until = NULL, updated_at = ?, result_json = ?
             WHERE job_id = ? AND %s AND locked_by = ? AND cancel_requested = 0
            RETURNING attempt
            """.formatted(ACK.set(), ACK.guard());
    private static final String REQUEUE_SQL = """
            UPDATE jobs SET %s, locked_by = NULL, lease_until = NULL, run_at = ?, updated_at = ?,
                            last_error = ?
             WHERE seq = ? AND %s AND attempt = ?
            """.formatted(REQUEUE.set(), REQUEUE.guard());
    private static final String GIVE_BACK_SQL = """
            UPDATE jobs SET %s, locked_by = NULL, lease_until = NULL, run_at = ?, updated_at = ?,
                            attempt = attempt - 1
             WHERE seq = ? AND %s
            """.formatted(REQUEUE.set(), REQUEUE.guard());
    private static final String CANCEL_QUEUED_SQL = "UPDATE jobs SET %s, updated_at = ? WHERE seq = ? AND %s"
            .formatted(CANCEL_QUEUED.set(), CANCEL_QUEUED.guard());
    /** Not a move: the job stays running until its worker ends it canceled. */
    private static final String REQUEST_CANCEL_SQL = """
            UPDATE jobs SET cancel_requested = 1, updated_at = ?
             WHERE seq = ? AND %s
            """.formatted(StatusSql.is(RUNNING));

    private Transitions() {
    }

    /** Queued to running under {@code workerId}'s lease; the job as it is now. */
    public static Job claim(Session session, long seq, String workerId, long now, long leaseUntil) throws SQLException {
        PreparedStatement claim = session.prepare(CLAIM_SQL);
        Session.bind(claim, workerId, leaseUntil, now, seq);
        try (ResultSet rows = claim.executeQuery()) {
            if (!rows.next()) {
                throw new IllegalStateException("claimed job vanished inside its transaction: seq " + seq);
            }
            return JobRows.job(rows);
        }
    }

    /** Running to done, if {@code workerId} holds it and no cancel was requested; the attempt, else empty. */
    public static OptionalInt ack(Session session, String jobId, String workerId, long now, String resultJson)
            throws SQLException {
        PreparedStatement done = session.prepare(ACK_SQL);
        Session.bind(done, now, resultJson, jobId, workerId);
        try (ResultSet row = done.executeQuery()) {
            return row.next() ? OptionalInt.of(row.getInt(1)) : OptionalInt.empty();
        }
    }

    /** Running to {@code move.to()} (failed or canceled); {@code error} becomes the job's error unless empty. */
    public static void end(Session session, long seq, Move move, long now, String error) throws SQLException {
        if (move != FAIL && move != END_CANCELED) {
            throw new IllegalArgumentException("not an end of a running job: " + move);
        }
        PreparedStatement end = session.prepare("""
                UPDATE jobs SET %s, locked_by = NULL, lease_until = NULL, updated_at = ?,
                                last_error = CASE WHEN ? = '' THEN last_error ELSE ? END
                 WHERE seq = ? AND %s
                """.formatted(move.set(), move.guard()));
        Session.bind(end, now, error, error, seq);
        expectOneRow(end.executeUpdate(), "seq " + seq);
    }

    /** Running back to queued for another attempt at {@code runAt} (a retry or a reclaimed lease). */
    public static void requeue(Session session, long seq, long now, long runAt, String error, int attempt)
            throws SQLException {
        PreparedStatement requeue = session.prepare(REQUEUE_SQL);
        Session.bind(requeue, runAt, now, error, seq, attempt);
        expectOneRow(requeue.executeUpdate(), "seq " + seq);
    }

    /** Running back to queued, due now, without its attempt used up (a release). */
    public static void giveBack(Session session, long seq, long now) throws SQLException {
        PreparedStatement giveBack = session.prepare(GIVE_BACK_SQL);
        Session.bind(giveBack, now, now, seq);
        expectOneRow(giveBack.executeUpdate(), "seq " + seq);
    }

    /** Queued to canceled. */
    public static void cancelQueued(Session session, long seq, long now) throws SQLException {
        PreparedStatement cancel = session.prepare(CANCEL_QUEUED_SQL);
        Session.bind(cancel, now, seq);
        expectOneRow(cancel.executeUpdate(), "seq " + seq);
    }

    /** Marks a running job's cancel as requested. */
    public static void requestCancel(Session session, long seq, long now) throws SQLException {
        PreparedStatement request = session.prepare(REQUEST_CANCEL_SQL);
        Session.bind(request, now, seq);
        expectOneRow(request.executeUpdate(), "seq " + seq);
    }

    public static void expectOneRow(int changed, String what) {
        if (changed != 1) {
            // The guard was checked in this same transaction, so anything else is a bug.
            throw new IllegalStateException("expected to change 1 row for " + what + ", changed " + changed);
        }
    }
}
