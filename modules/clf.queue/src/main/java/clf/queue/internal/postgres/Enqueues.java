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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
            SELECT count(*) AS active, coalesce(sum(CASE WHEN %s THEN payload_bytes END), 0) AS queued_bytes
              FROM jobs
             WHERE requester = ? AND %s
            """.formatted(StatusSql.is(JobStatus.QUEUED), StatusSql.in(JobStatus.ACTIVE));
    /**
     * Takes the requester's lock ahead of an enqueue with rules. Sent with the enqueue's statement
     * in one call: the two run as one implicit transaction, the enqueue's snapshot taken once the
     * lock is held, so it sees whatever the lock's previous holder committed.
     */
    private static final String LOCK_SQL = "SELECT pg_advisory_xact_lock(?);\n";

    /**
     * An enqueue in one statement (one round trip): the requester's earlier job of the same
     * idempotency key (or, with rules, its queued twin) is the answer; else, with rules, its
     * active jobs and queued bytes are counted against them; else the job, its turn ({@link
     * Turns#NEXT_TURN_SQL}) and its enqueue event are stored. Answers one row: the job's id and
     * whether it is the earlier one; or, refused, no id and the counts. A second enqueue of the
     * same key (another host's, at the same moment) waits for the first, inserts nothing and
     * answers no row. Indexed by {@link #storeSql}'s arguments.
     */
    private static final String[] STORE_SQL = {
        storeSql(false, false), storeSql(false, true), storeSql(true, false), storeSql(true, true)};

    /**
     * @param ruled whether {@link EnqueueRules} apply (the twin, the quotas, the lock)
     * @param due   whether the job is due now; a job to run later gets no turn until it is
     *              ({@link Turns#SCHEDULED}), so its requester's is not taken
     */
    private static String storeSql(boolean ruled, boolean due) {
        String keyed = "SELECT job_id FROM jobs WHERE requester = ? AND idempotency_key = ?";
        // The twin's query runs only when its rule is on (the last parameter, 0 or 1).
        String earlier = ruled ? "(" + keyed + ") UNION ALL (SELECT job_id FROM (" + QUEUED_TWIN_SQL
                + ") AS twin WHERE ? <> 0) LIMIT 1" : keyed;
        String judged = ruled ? """
                , held AS (%s)
                , judged AS (
                  SELECT NOT EXISTS (SELECT FROM earlier) AND active < ? AND queued_bytes + ? <= ? AS go FROM held)
                """.formatted(ACTIVE_SQL) : "";
        String go = ruled ? "WHERE (SELECT go FROM judged)" : "WHERE NOT EXISTS (SELECT FROM earlier)";
        String refused = ruled ? """
                UNION ALL
                SELECT NULL, false, active, queued_bytes::bigint FROM held
                 WHERE NOT EXISTS (SELECT FROM earlier) AND NOT (SELECT go FROM judged)
                """ : "";
        return (ruled ? LOCK_SQL : "") + """
                WITH earlier AS (%s)
                %s%s
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
                SELECT job_id, false, 0, 0 FROM job
                UNION ALL
                SELECT job_id, true, 0, 0 FROM earlier
                %s""".formatted(earlier, judged,
                due ? ", next_turn AS (" + Turns.nextTurnSql(go) + ")" : "",
                StatusSql.literal(JobStatus.QUEUED), due ? "(SELECT last_turn FROM next_turn)" : "?", go,
                JobEvent.ENQUEUE, refused);
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
        EnqueueResult result = database.writeAutoCommit(session -> store(session, job, rules));
        if (!result.deduped() && EnqueueChecks.dueAt(job, clock.millis())) {
            notifier.jobCommitted();
        }
        return result;
    }

    Optional<String> dedupeHit(NewJob job, EnqueueRules rules) {
        return database.read(session -> EnqueueChecks.existingAnswer(session, job, rules, QUEUED_TWIN_SQL));
    }

    /** One call ({@link #STORE_SQL}, after the requester's lock where rules apply); throws if refused. */
    private EnqueueResult store(Session session, NewJob job, EnqueueRules rules) throws SQLException {
        long now = clock.millis();
        long runAt = EnqueueChecks.runAtMillis(job, now);
        long payloadBytes = EnqueueChecks.payloadBytes(job);
        boolean ruled = !rules.equals(EnqueueRules.NONE);
        boolean due = runAt <= now;
        String jobId = UUID.randomUUID().toString();
        List<Object> parameters = new ArrayList<>(32);
        if (ruled) {
            // Quotas and the queued twin are decided on what the requester has: one enqueue of a
            // requester at a time, on every host, until the call's transaction ends.
            parameters.add(REQUESTER_LOCK | (job.requester().hashCode() & 0xffffffffL));
        }
        parameters.addAll(Arrays.asList(job.requester(), job.idempotencyKey()));
        if (ruled) {
            parameters.addAll(List.of(job.requester(), job.kind(), job.payloadJson(), rules.onePerKindQueued() ? 1 : 0,
                    job.requester(), rules.maxActive(), payloadBytes, rules.maxQueuedPayloadBytes()));
        }
        if (due) {
            parameters.add(job.requester());
        }
        parameters.addAll(Arrays.asList(jobId, job.kind(), job.requester(), job.payloadJson(), job.idempotencyKey(),
                job.priority(), runAt, now, now, job.maxAttempts()));
        if (!due) {
            parameters.add(Turns.SCHEDULED);
        }
        parameters.add(payloadBytes);
        PreparedStatement store = session.prepare(STORE_SQL[(ruled ? 2 : 0) + (due ? 1 : 0)]);
        Session.bind(store, parameters.toArray());
        store.execute();
        if (ruled) {
            store.getMoreResults(); // past the lock's row
        }
        try (ResultSet stored = store.getResultSet()) {
            if (stored.next()) {
                String id = stored.getString(1);
                if (id != null) {
                    return new EnqueueResult(id, stored.getBoolean(2));
                }
                QuotaCheck.refuseBeyond(job.requester(), stored.getLong(3), stored.getLong(4), payloadBytes, rules);
                throw new IllegalStateException("the store refused a job of " + job.requester()
                        + " that its rules allow: " + stored.getLong(3) + " active, " + stored.getLong(4) + " bytes queued");
            }
        }
        // Another host stored this key after this statement's snapshot, and committed: its job
        // is the answer (the turn taken above only moves this requester's next job one place back).
        return new EnqueueResult(session.queryString(EnqueueChecks.KEY_LOOKUP_SQL, job.requester(),
                job.idempotencyKey()).orElseThrow(), true);
    }
}
