package clf.queue.internal.sqlite;

import clf.protocol.InvalidInputException;
import clf.queue.EnqueueResult;
import clf.queue.EnqueueRules;
import clf.queue.JobEvent;
import clf.queue.JobStatus;
import clf.queue.NewJob;
import clf.queue.sql.Session;
import clf.queue.sqlite.Database;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

/** New jobs: idempotent, held to their requester's rules, given their fair-share turn, written in groups. */
final class Enqueues {
    static final String KEY_LOOKUP_SQL = "SELECT job_id FROM jobs WHERE requester = ? AND idempotency_key = ?";
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

    private record Request(NewJob job, EnqueueRules rules) {
    }

    Enqueues(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
        this.writes = new GroupCommit<>(database, "enqueue", (session, request) -> insert(session, request));
    }

    EnqueueResult enqueue(NewJob job, EnqueueRules rules) {
        return writes.write(new Request(job, rules));
    }

    Optional<String> dedupeHit(NewJob job, EnqueueRules rules) {
        return database.read(session -> existingAnswer(session, job, rules));
    }

    /** The earlier job with the same idempotency key, or (with the rule) the queued twin. */
    private static Optional<String> existingAnswer(Session session, NewJob job, EnqueueRules rules)
            throws SQLException {
        if (job.idempotencyKey() != null) {
            Optional<String> existing = session.queryString(KEY_LOOKUP_SQL, job.requester(), job.idempotencyKey());
            if (existing.isPresent()) {
                return existing;
            }
        }
        return rules.onePerKindQueued()
                ? session.queryString(QUEUED_TWIN_SQL, job.requester(), job.kind(), job.payloadJson())
                : Optional.empty();
    }

    private EnqueueResult insert(Session session, Request request) throws SQLException {
        NewJob job = request.job();
        Optional<String> existing = existingAnswer(session, job, request.rules());
        if (existing.isPresent()) {
            return new EnqueueResult(existing.get(), true);
        }
        long now = clock.millis();
        long runAt = runAtMillis(job, now);
        long payloadBytes = job.payloadJson().getBytes(StandardCharsets.UTF_8).length;
        Quotas.check(session, job.requester(), payloadBytes, request.rules());
        long turn = runAt > now ? Turns.SCHEDULED : Turns.next(session, job.requester());
        String jobId = UUID.randomUUID().toString();
        PreparedStatement insert = session.prepare(INSERT_SQL);
        Session.bind(insert, jobId, job.kind(), job.requester(), job.payloadJson(), job.idempotencyKey(),
                job.priority(), runAt, now, now, job.maxAttempts(), turn, payloadBytes);
        insert.executeUpdate();
        EventLog.insert(session, jobId, now, JobEvent.ENQUEUE, "", 0);
        return new EnqueueResult(jobId, false);
    }

    /** {@code runAt} in epoch ms; an instant past what a {@code long} of ms holds is bad input, not a crash. */
    private static long runAtMillis(NewJob job, long now) {
        if (job.runAt() == null) {
            return now;
        }
        try {
            return job.runAt().toEpochMilli();
        } catch (ArithmeticException e) {
            throw new InvalidInputException("runAt", "a time within 292 million years of 1970", job.runAt());
        }
    }
}
