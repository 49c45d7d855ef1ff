package clf.queue.internal;

import clf.protocol.InvalidInputException;
import clf.queue.EnqueueRules;
import clf.queue.NewJob;
import clf.queue.sql.Session;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.Optional;

/** What every engine's enqueue decides the same way: the earlier job it answers with, and the new row's values. */
public final class EnqueueChecks {
    public static final String KEY_LOOKUP_SQL = "SELECT job_id FROM jobs WHERE requester = ? AND idempotency_key = ?";

    private EnqueueChecks() {
    }

    /**
     * The earlier job with the same idempotency key, or (with {@link EnqueueRules#onePerKindQueued})
     * the requester's queued twin.
     *
     * @param twinSql the engine's query for a queued job of (requester, kind, payload)
     */
    public static Optional<String> existingAnswer(Session session, NewJob job, EnqueueRules rules, String twinSql)
            throws SQLException {
        if (job.idempotencyKey() != null) {
            Optional<String> existing = session.queryString(KEY_LOOKUP_SQL, job.requester(), job.idempotencyKey());
            if (existing.isPresent()) {
                return existing;
            }
        }
        return rules.onePerKindQueued()
                ? session.queryString(twinSql, job.requester(), job.kind(), job.payloadJson())
                : Optional.empty();
    }

    /** {@code runAt} in epoch ms; an instant past what a {@code long} of ms holds is bad input, not a crash. */
    /**
     * Whether a new job can be claimed at once, so idle workers are worth waking: one due later
     * is found by the workers' polls when its time comes, and a wake for it would only cost every
     * woken worker a claim that finds nothing.
     */
    public static boolean dueAt(NewJob job, long now) {
        return job.runAt() == null || runAtMillis(job, now) <= now;
    }

    public static long runAtMillis(NewJob job, long now) {
        if (job.runAt() == null) {
            return now;
        }
        try {
            return job.runAt().toEpochMilli();
        } catch (ArithmeticException e) {
            throw new InvalidInputException("runAt", "a time within 292 million years of 1970", job.runAt());
        }
    }

    /** The payload's UTF-8 bytes, counted against its requester's cap of queued payload. */
    public static long payloadBytes(NewJob job) {
        return job.payloadJson().getBytes(StandardCharsets.UTF_8).length;
    }
}
