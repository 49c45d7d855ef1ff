package clf.queue.internal;

import static clf.queue.JobStatus.RUNNING;

import clf.queue.Completion;
import clf.queue.JobEvent;
import clf.queue.StoreOptions;
import clf.queue.sql.Session;
import clf.queue.sql.SqlDatabase;
import clf.queue.sql.SqlEngine;
import clf.queue.sql.SqlWork;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.OptionalInt;

/** How a worker ends the job it holds: done, a failed attempt, canceled, or given back. */
record Finishes(SqlDatabase database, StoreOptions options) {
    Completion ack(String jobId, String workerId, String resultJson) {
        boolean logged = database.engine() == SqlEngine.POSTGRESQL;
        // Logged, the ack is one statement that commits itself; the read after a refused one
        // only explains the refusal.
        SqlWork<Completion> work = session -> {
            long now = now();
            OptionalInt attempt = Transitions.ack(session, jobId, workerId, now, resultJson, logged);
            if (attempt.isEmpty()) {
                Held held = held(session, jobId, workerId);
                if (held.outcome() != null) {
                    return held.outcome();
                }
                if (held.cancelRequested()) {
                    return Completion.CANCEL_REQUESTED;
                }
                throw new IllegalStateException("job " + jobId + " is held by " + workerId
                        + " but its update matched nothing");
            }
            if (!logged) {
                EventLog.insert(session, jobId, now, JobEvent.ACK, "", attempt.getAsInt());
            }
            return Completion.DONE;
        };
        return logged ? database.writeAutoCommit(work) : database.write(work);
    }

    /** A failed attempt: retried after the policy's wait while {@code retryable} and attempts are left. */
    Completion fail(String jobId, String workerId, String error, boolean retryable) {
        return whileHeld(jobId, workerId, true, (session, held, now) -> {
            if (retryable && held.attempt() < held.maxAttempts()) {
                long delay = options.retryPolicy().delayAfter(held.attempt(), options.random().nextDouble()).toMillis();
                Transitions.requeue(session, held.seq(), now, now + delay, error, held.attempt());
                EventLog.insert(session, jobId, now, JobEvent.RETRY, error, held.attempt());
                return Completion.RETRY_SCHEDULED;
            }
            Transitions.end(session, held.seq(), Transitions.FAIL, now, error);
            EventLog.insert(session, jobId, now, JobEvent.FAIL, error, held.attempt());
            return Completion.FAILED;
        });
    }

    Completion finishCanceled(String jobId, String workerId, String message) {
        return whileHeld(jobId, workerId, false, (session, held, now) -> {
            if (!held.cancelRequested()) {
                throw new IllegalStateException("no cancel was requested for job " + jobId);
            }
            Transitions.end(session, held.seq(), Transitions.END_CANCELED, now, message); // the reason, as the job's error
            EventLog.insert(session, jobId, now, JobEvent.CANCEL, message, held.attempt());
            return Completion.CANCELED;
        });
    }

    Completion release(String jobId, String workerId, String reason) {
        return whileHeld(jobId, workerId, true, (session, held, now) -> {
            Transitions.giveBack(session, held.seq(), now);
            EventLog.insert(session, jobId, now, JobEvent.RELEASE, reason, held.attempt() - 1);
            return Completion.RELEASED;
        });
    }

    /** The end of a job its worker still holds, inside the write transaction that checked so. */
    @FunctionalInterface
    private interface HeldWork {
        Completion run(Session session, Held held, long now) throws SQLException;
    }

    /**
     * Runs {@code work} in one write transaction if {@code workerId} still holds the job, and
     * (with {@code cancelStops}) no cancel was requested; otherwise answers why not.
     */
    private Completion whileHeld(String jobId, String workerId, boolean cancelStops, HeldWork work) {
        return database.write(session -> {
            Held held = held(session, jobId, workerId);
            if (held.outcome() != null) {
                return held.outcome();
            }
            if (cancelStops && held.cancelRequested()) {
                return Completion.CANCEL_REQUESTED;
            }
            return work.run(session, held, now());
        });
    }

    /** What the store knows of a job a worker claims to hold; {@code outcome} set when it does not. */
    private record Held(Completion outcome, long seq, int attempt, int maxAttempts, boolean cancelRequested) {
    }

    private Held held(Session session, String jobId, String workerId) throws SQLException {
        PreparedStatement select = session.prepare(
                "SELECT seq, status, locked_by, attempt, max_attempts, cancel_requested FROM jobs WHERE job_id = ?"
                        + EngineSql.forUpdate(database.engine()));
        select.setString(1, jobId);
        try (ResultSet row = select.executeQuery()) {
            if (!row.next()) {
                return new Held(Completion.NOT_FOUND, 0, 0, 0, false);
            }
            if (!RUNNING.wireName().equals(row.getString(2)) || !workerId.equals(row.getString(3))) {
                return new Held(Completion.LEASE_LOST, 0, 0, 0, false);
            }
            return new Held(null, row.getLong(1), row.getInt(4), row.getInt(5), row.getInt(6) != 0);
        }
    }

    private long now() {
        return options.clock().millis();
    }
}
