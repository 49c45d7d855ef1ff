package clf.queue.internal.sqlite;

import clf.queue.EnqueueResult;
import clf.queue.EnqueueRules;
import clf.queue.JobEvent;
import clf.queue.JobStatus;
import clf.queue.NewJob;
import clf.queue.internal.EnqueueChecks;
import clf.queue.internal.EnqueueListeners;
import clf.queue.internal.EventLog;
import clf.queue.internal.QuotaCheck;
import clf.queue.internal.StatusSql;
import clf.queue.sql.Session;
import clf.queue.sqlite.Database;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

/** New jobs: idempotent, held to their requester's rules, given their fair-share turn, written in groups. */
final class Enqueues {
    static final String KEY_LOOKUP_SQL = EnqueueChecks.KEY_LOOKUP_SQL;
    /**
     * A requester's queued job of a kind with the same payload, for {@link EnqueueRules#onePerKindQueued}.
     * The index's own condition is spelled out: SQLite uses a partial index only for a query that repeats it.
     */
    static final String QUEUED_TWIN_SQL = """
            SELECT job_id FROM jobs INDEXED BY jobs_active_by_requester
             WHERE requester = ? AND %s AND %s AND kind = ?
               AND payload_json = ?
             LIMIT 1
            """.formatted(StatusSql.in(JobStatus.ACTIVE), StatusSql.is(JobStatus.QUEUED));
    private static final String INSERT_SQL = """
            INSERT INTO jobs (job_id, kind, requester, payload_json, idempotency_key, status, priority,
                              run_at, created_at, updated_at, attempt, max_attempts, turn, payload_bytes)
            VALUES (?, ?, ?, ?, ?, %s, ?, ?, ?, ?, 0, ?, ?, ?)
            """.formatted(StatusSql.literal(JobStatus.QUEUED));

    private final Database database;
    private final Clock clock;
    private final GroupCommit<Request, EnqueueResult> writes;
    private final EnqueueListeners listeners;

    private record Request(NewJob job, EnqueueRules rules) {
    }

    Enqueues(Database database, Clock clock, EnqueueListeners listeners) {
        this.database = database;
        this.clock = clock;
        this.listeners = listeners;
        this.writes = new GroupCommit<>(database, "enqueue", (session, request) -> insert(session, request));
    }

    /** Stores the job; once it is committed, tells this process's listeners of a new one that is due. */
    EnqueueResult enqueue(NewJob job, EnqueueRules rules) {
        EnqueueResult result = writes.write(new Request(job, rules));
        if (!result.deduped() && EnqueueChecks.dueAt(job, clock.millis())) {
            listeners.fire();
        }
        return result;
    }

    Optional<String> dedupeHit(NewJob job, EnqueueRules rules) {
        return database.read(session -> EnqueueChecks.existingAnswer(session, job, rules, QUEUED_TWIN_SQL));
    }

    private EnqueueResult insert(Session session, Request request) throws SQLException {
        NewJob job = request.job();
        Optional<String> existing = EnqueueChecks.existingAnswer(session, job, request.rules(), QUEUED_TWIN_SQL);
        if (existing.isPresent()) {
            return new EnqueueResult(existing.get(), true);
        }
        long now = clock.millis();
        long runAt = EnqueueChecks.runAtMillis(job, now);
        long payloadBytes = EnqueueChecks.payloadBytes(job);
        QuotaCheck.check(session, Quotas.ACTIVE_SQL, job.requester(), payloadBytes, request.rules());
        long turn = runAt > now ? Turns.SCHEDULED : Turns.next(session, job.requester());
        String jobId = UUID.randomUUID().toString();
        PreparedStatement insert = session.prepare(INSERT_SQL);
        Session.bind(insert, jobId, job.kind(), job.requester(), job.payloadJson(), job.idempotencyKey(),
                job.priority(), runAt, now, now, job.maxAttempts(), turn, payloadBytes);
        insert.executeUpdate();
        EventLog.insert(session, jobId, now, JobEvent.ENQUEUE, "", 0);
        return new EnqueueResult(jobId, false);
    }
}
