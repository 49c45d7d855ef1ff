package clf.queue.internal.postgres;

import clf.queue.EnqueueResult;
import clf.queue.EnqueueRules;
import clf.queue.JobEvent;
import clf.queue.JobStatus;
import clf.queue.NewJob;
import clf.queue.internal.EnqueueChecks;
import clf.queue.internal.QuotaCheck;
import clf.queue.internal.StatusSql;
import clf.queue.postgres.PostgresDatabase;
import clf.queue.sql.Session;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

/**
 * New jobs in the shared store: idempotent across hosts ({@code INSERT ... ON CONFLICT}), held
 * to their requester's rules under a lock per requester, given their fair-share turn, and
 * announced to every host once committed ({@link Notifier}).
 */
final class Enqueues {
    /** The channel every host's store listens on ({@link Wakeups}). */
    static final String CHANNEL = "clf_jobs_enqueued";
    /**
     * The high half of the advisory lock key of a requester's enqueues ("clfQ"); the low half is
     * a hash of the requester. A hash shared by two requesters only makes them take turns.
     */
    private static final long REQUESTER_LOCK = 0x636c6651L << 32;

    static final String QUEUED_TWIN_SQL = """
            SELECT job_id FROM jobs
             WHERE requester = ? AND %s AND kind = ? AND payload_json = ?
             LIMIT 1
            """.formatted(StatusSql.is(JobStatus.QUEUED));
    static final String ACTIVE_SQL = """
            SELECT count(*), coalesce(sum(CASE WHEN %s THEN payload_bytes END), 0)
              FROM jobs
             WHERE requester = ? AND %s
            """.formatted(StatusSql.is(JobStatus.QUEUED), StatusSql.in(JobStatus.ACTIVE));
    /**
     * The job, its turn ({@link Turns#NEXT_TURN_SQL}) and its enqueue event in one statement (one
     * round trip), unless its requester stored its idempotency key before: then that job's id.
     * Answers one row, the job's id and whether it is the earlier one. A second enqueue of the
     * same key (another host's, at the same moment) waits for the first and inserts nothing, and
     * answers no row.
     */
    private static final String STORE_DUE_SQL = storeSql(true);
    /** A job to run later: no turn yet ({@link Turns#SCHEDULED}), so its requester's is not taken. */
    private static final String STORE_SCHEDULED_SQL = storeSql(false);

    private static String storeSql(boolean due) {
        String unlessStored = "WHERE NOT EXISTS (SELECT FROM earlier)";
        return """
                WITH earlier AS (
                  SELECT job_id FROM jobs WHERE requester = ? AND idempotency_key = ?)
                %s
                , job AS (
                  INSERT INTO jobs (job_id, kind, requester, payload_json, idempotency_key, status, priority,
                                    run_at, created_at, updated_at, attempt, max_attempts, turn, payload_bytes)
                  SELECT ?, ?, ?, ?, ?, %s, ?, ?, ?, ?, 0, ?, %s, ?
                  %s
                  ON CONFLICT (requester, idempotency_key) DO NOTHING
                  RETURNING job_id, created_at)
                , logged AS (
                  INSERT INTO job_events (job_id, at, type, message, attempt)
                  SELECT job_id, created_at, '%s', '', 0 FROM job)
                SELECT job_id, false FROM job
                UNION ALL
                SELECT job_id, true FROM earlier
                """.formatted(due ? ", next_turn AS (" + Turns.nextTurnSql(unlessStored) + ")" : "",
                StatusSql.literal(JobStatus.QUEUED), due ? "(SELECT last_turn FROM next_turn)" : "?", unlessStored,
                JobEvent.ENQUEUE);
    }

    private final PostgresDatabase database;
    private final Clock clock;
    private final Notifier notifier;

    Enqueues(PostgresDatabase database, Clock clock, Notifier notifier) {
        this.database = database;
        this.clock = clock;
        this.notifier = notifier;
    }

    /** Stores the job; once it is committed, every host's listeners hear of it if it is due ({@link Notifier}). */
    EnqueueResult enqueue(NewJob job, EnqueueRules rules) {
        // Without rules, one statement decides and stores, committing itself (one round trip);
        // rules read what the requester has under its lock first, in a transaction.
        EnqueueResult result = rules.equals(EnqueueRules.NONE)
                ? database.writeAutoCommit(session -> store(session, job))
                : database.write(session -> checkAndStore(session, job, rules));
        if (!result.deduped() && EnqueueChecks.dueAt(job, clock.millis())) {
            notifier.jobCommitted();
        }
        return result;
    }

    Optional<String> dedupeHit(NewJob job, EnqueueRules rules) {
        return database.read(session -> EnqueueChecks.existingAnswer(session, job, rules, QUEUED_TWIN_SQL));
    }

    private EnqueueResult checkAndStore(Session session, NewJob job, EnqueueRules rules) throws SQLException {
        // Quotas and the queued twin are decided on what the requester has: one enqueue of a
        // requester at a time, on every host, until this transaction ends. Each statement
        // after the lock sees what the previous holder committed (READ COMMITTED).
        session.queryString("SELECT pg_advisory_xact_lock(?)", REQUESTER_LOCK | (job.requester().hashCode() & 0xffffffffL));
        Optional<String> existing = EnqueueChecks.existingAnswer(session, job, rules, QUEUED_TWIN_SQL);
        if (existing.isPresent()) {
            return new EnqueueResult(existing.get(), true);
        }
        QuotaCheck.check(session, ACTIVE_SQL, job.requester(), EnqueueChecks.payloadBytes(job), rules);
        return store(session, job);
    }

    /** Stores the job unless its requester stored its key before; the job's id either way. */
    private EnqueueResult store(Session session, NewJob job) throws SQLException {
        long now = clock.millis();
        long runAt = EnqueueChecks.runAtMillis(job, now);
        long payloadBytes = EnqueueChecks.payloadBytes(job);
        String jobId = UUID.randomUUID().toString();
        PreparedStatement store;
        if (runAt > now) {
            store = session.prepare(STORE_SCHEDULED_SQL);
            Session.bind(store, job.requester(), job.idempotencyKey(), jobId, job.kind(), job.requester(),
                    job.payloadJson(), job.idempotencyKey(), job.priority(), runAt, now, now, job.maxAttempts(),
                    Turns.SCHEDULED, payloadBytes);
        } else {
            store = session.prepare(STORE_DUE_SQL);
            Session.bind(store, job.requester(), job.idempotencyKey(), job.requester(), jobId, job.kind(),
                    job.requester(), job.payloadJson(), job.idempotencyKey(), job.priority(), runAt, now, now,
                    job.maxAttempts(), payloadBytes);
        }
        try (ResultSet stored = store.executeQuery()) {
            if (stored.next()) {
                return new EnqueueResult(stored.getString(1), stored.getBoolean(2));
            }
        }
        // Another host stored this key after this statement's snapshot, and committed: its job
        // is the answer (the turn taken above only moves this requester's next job one place back).
        return new EnqueueResult(session.queryString(EnqueueChecks.KEY_LOOKUP_SQL, job.requester(),
                job.idempotencyKey()).orElseThrow(), true);
    }
}
