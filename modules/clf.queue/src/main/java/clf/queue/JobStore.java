package clf.queue;

import clf.queue.sqlite.Database;
import clf.queue.sqlite.Session;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

/**
 * The durable job queue. Safe to share between threads, and between processes that open the
 * same file.
 *
 * <p>Every transition is one method here: one write transaction, an UPDATE guarded by the
 * expected status (and, for a worker, its lock), a check of how many rows changed, and an event
 * row in the same transaction. A guard that matches nothing yields a specific outcome
 * ({@link Completion#LEASE_LOST}, {@link Completion#NOT_FOUND}, …), never a silent no-op.
 */
public final class JobStore implements AutoCloseable {
    public static final Duration MIN_LEASE = Duration.ofMillis(100);
    public static final Duration MAX_LEASE = Duration.ofHours(1);
    private static final int MAX_ERROR_CHARS = 4000;
    private static final int MAX_RESULT_BYTES = 1024 * 1024;
    private static final int RECLAIM_BATCH = 100;
    private static final int PRUNE_BATCH = 500;
    private static final Pattern WORKER_ID = Pattern.compile("[\\x21-\\x7e]{1,128}");
    private static final Pattern EVENT_TYPE = Pattern.compile("[a-z][a-z0-9_-]*(\\.[a-z][a-z0-9_-]*)*");

    /**
     * The most urgent due job of one kind: a seek on the partial index {@code jobs_due}. Among
     * equal priorities the lowest turn goes first, which takes requesters in turn (see
     * {@link #nextTurn}).
     */
    private static final String DUE_JOB_SQL = """
            SELECT seq, priority, turn, run_at FROM jobs INDEXED BY jobs_due
             WHERE status = 'queued' AND kind = ? AND run_at <= ?
             ORDER BY priority DESC, turn, run_at, seq
             LIMIT 1
            """;
    /**
     * A requester's active jobs and its queued payload: a walk of its entries in
     * {@code jobs_active_by_requester}, as many as its limit of active jobs at most.
     */
    private static final String ACTIVE_SQL = """
            SELECT count(*), total(CASE WHEN status = 'queued' THEN payload_bytes END)
              FROM jobs INDEXED BY jobs_active_by_requester
             WHERE requester = ? AND status IN ('queued', 'running')
            """;
    /**
     * A requester's queued job of a kind with the same payload, for {@link EnqueueRules#onePerKindQueued}.
     * The index's own condition is spelled out: SQLite uses a partial index only for a query that repeats it.
     */
    private static final String QUEUED_TWIN_SQL = """
            SELECT job_id FROM jobs INDEXED BY jobs_active_by_requester
             WHERE requester = ? AND status IN ('queued', 'running') AND status = 'queued' AND kind = ?
               AND payload_json = ?
             LIMIT 1
            """;
    /**
     * The turn of a job enqueued to run later, until it is due: last in its priority, so a claim
     * never walks past jobs that wait for their time to find one due now (as it would if they
     * kept the early turn of their enqueue). {@link #promoteDue} gives each its turn once due.
     */
    static final long SCHEDULED_TURN = Long.MAX_VALUE;
    /** Jobs due whose turn waits: a seek on {@code jobs_scheduled}, which holds only those not yet given one. */
    private static final String SCHEDULED_DUE_SQL = """
            SELECT seq, requester FROM jobs INDEXED BY jobs_scheduled
             WHERE status = 'queued' AND turn = 9223372036854775807 AND run_at <= ?
             ORDER BY run_at
             LIMIT ?
            """;
    /** The turn a requester's next job gets: one past its last, never behind the last one claimed. */
    private static final String NEXT_TURN_SQL = """
            SELECT max(coalesce((SELECT last_turn FROM requester_turns WHERE requester = ?), 0),
                       (SELECT turn FROM claim_turn WHERE id = 1)) + 1
            """;
    /** Running jobs whose lease ran out, oldest lease first. */
    private static final String EXPIRED_LEASES_SQL = """
            SELECT seq, job_id, attempt, max_attempts, locked_by, cancel_requested FROM jobs INDEXED BY jobs_by_lease
             WHERE status = 'running' AND lease_until <= ?
             ORDER BY lease_until
             LIMIT ?
            """;
    /**
     * Running jobs of one process's workers (a range of worker ids) whose cancel was requested:
     * a seek on the partial index {@code jobs_cancel_requested}, which holds only such jobs.
     */
    private static final String CANCEL_WATCH_SQL = """
            SELECT job_id FROM jobs INDEXED BY jobs_cancel_requested
             WHERE status = 'running' AND cancel_requested = 1 AND locked_by >= ? AND locked_by < ?
            """;
    private static final String KEY_LOOKUP_SQL =
            "SELECT job_id FROM jobs WHERE requester = ? AND idempotency_key = ?";

    /**
     * Jobs by status and kind, each a walk of an index that holds only jobs of those statuses:
     * ended ones, queued ones (by kind first), running ones (few: one per busy worker).
     */
    private static final String ENDED_COUNTS_SQL = """
            SELECT status, kind, count(*) FROM jobs INDEXED BY jobs_ended_by_status_kind
             WHERE status IN ('done', 'failed', 'canceled')
             GROUP BY status, kind
            """;
    private static final String QUEUED_COUNTS_SQL = """
            SELECT 'queued', kind, count(*) FROM jobs INDEXED BY jobs_due
             WHERE status = 'queued'
             GROUP BY kind
            """;
    private static final String RUNNING_COUNTS_SQL = """
            SELECT 'running', kind, count(*) FROM jobs INDEXED BY jobs_by_lease
             WHERE status = 'running'
             GROUP BY kind
            """;
    /**
     * Queued jobs not due yet: a range of {@code jobs_by_runnable_since} past now. Runnable jobs
     * are the queued ones less these, so a large backlog of due jobs is never walked.
     */
    private static final String NOT_DUE_SQL = """
            SELECT count(*) FROM jobs INDEXED BY jobs_by_runnable_since
             WHERE status = 'queued' AND max(created_at, run_at) > ?
            """;
    /** When the longest-waiting queued job became runnable: the first entry of the same index. */
    private static final String OLDEST_QUEUED_SQL = """
            SELECT min(max(created_at, run_at)) FROM jobs INDEXED BY jobs_by_runnable_since
             WHERE status = 'queued'
            """;

    /**
     * Claims look for expired leases at most this often: a lease is never shorter than
     * {@link #MIN_LEASE}, and skipping the sweep keeps the hot claim path to one seek.
     */
    private static final long LEASE_SWEEP_INTERVAL_MS = 100;

    /** Enqueues in one transaction at most; bounds how long the write lock is held. */
    private static final int MAX_ENQUEUE_BATCH = 64;

    private final Database database;
    private final StoreOptions options;
    private final Queue<PendingEnqueue> incoming = new ConcurrentLinkedQueue<>();
    private final ReentrantLock enqueueLeader = new ReentrantLock();
    /**
     * When a claim next sweeps for expired leases; set once a sweep is committed. Claims race to
     * set it, harmlessly: at worst one sweeps a little early.
     */
    private volatile long nextLeaseSweepAt = Long.MIN_VALUE;

    private JobStore(Database database, StoreOptions options) {
        this.database = database;
        this.options = options;
    }

    /** Opens the store at {@code databaseFile} with {@link StoreOptions#defaults()}. */
    public static JobStore open(Path databaseFile) {
        return open(databaseFile, StoreOptions.defaults());
    }

    /**
     * Opens (creating if needed) the store. The directory becomes 0700 and the database files
     * 0600; the schema is brought up to date in a transaction.
     *
     * @throws StoreException if the file cannot be secured or opened, or is from a newer clf
     */
    public static JobStore open(Path databaseFile, StoreOptions options) {
        return new JobStore(Database.open(databaseFile, options.busyTimeout(), JobSchema.SCHEMA), options);
    }

    // ---------------------------------------------------------------- enqueue

    /**
     * Stores a new job, or, when {@code job} carries an idempotency key that its requester used
     * before, returns that earlier job untouched with {@code deduped = true}.
     *
     * <p>Concurrent enqueues share transactions (group commit): whoever gets the leader lock
     * writes every enqueue waiting at that moment in one transaction, each under its own
     * savepoint, and hands each caller its own result. A commit writes each touched page once
     * however many jobs it holds, which is what limits single-row transactions.
     */
    public EnqueueResult enqueue(NewJob job) {
        return enqueue(job, EnqueueRules.NONE);
    }

    /**
     * As {@link #enqueue(NewJob)}, held to {@code rules}, which are checked in the transaction
     * that stores the job.
     *
     * @throws QuotaExceededException if the job would take its requester past a limit of {@code rules}
     */
    public EnqueueResult enqueue(NewJob job, EnqueueRules rules) {
        if (rules == null) {
            throw new InvalidInputException("rules", "enqueue rules (EnqueueRules.NONE for none)", null);
        }
        PendingEnqueue mine = new PendingEnqueue(job, rules);
        incoming.add(mine);
        while (true) {
            if (mine.result.isDone()) {
                return mine.outcome();
            }
            if (enqueueLeader.tryLock()) {
                try {
                    // Lead until nothing waits, so followers rarely need their timeout.
                    while (!incoming.isEmpty()) {
                        writeBatch();
                    }
                } finally {
                    enqueueLeader.unlock();
                }
            } else {
                mine.awaitBriefly();
            }
        }
    }

    /** One waiting enqueue and its result. */
    private static final class PendingEnqueue {
        final NewJob job;
        final EnqueueRules rules;
        final CompletableFuture<EnqueueResult> result = new CompletableFuture<>();

        PendingEnqueue(NewJob job, EnqueueRules rules) {
            this.job = job;
            this.rules = rules;
        }

        EnqueueResult outcome() {
            try {
                return result.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException cause ? cause : e;
            }
        }

        /**
         * Waits for a leader to write this enqueue. The timeout only covers the race in which the
         * leader let go just as this one was queued; then this caller leads itself.
         */
        void awaitBriefly() {
            try {
                result.get(2, TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // done (then outcome() reports it) or not yet: the caller's loop decides
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StoreException("interrupted while waiting to enqueue", e);
            }
        }
    }

    private void writeBatch() {
        List<PendingEnqueue> batch = new ArrayList<>();
        for (PendingEnqueue next; batch.size() < MAX_ENQUEUE_BATCH && (next = incoming.poll()) != null; ) {
            batch.add(next);
        }
        if (batch.isEmpty()) {
            return;
        }
        try {
            List<Runnable> completions = database.write(session -> {
                List<Runnable> done = new ArrayList<>(batch.size());
                for (PendingEnqueue pending : batch) {
                    session.prepare("SAVEPOINT enqueue").execute();
                    try {
                        EnqueueResult result = insertJob(session, pending.job, pending.rules);
                        session.prepare("RELEASE enqueue").execute();
                        done.add(() -> pending.result.complete(result));
                    } catch (SQLException | RuntimeException e) {
                        // Whatever one enqueue runs into is its own: the others of the batch commit.
                        session.prepare("ROLLBACK TO enqueue").execute();
                        session.prepare("RELEASE enqueue").execute();
                        RuntimeException failure = e instanceof SQLException sql ? Database.translate("enqueue", sql)
                                : (RuntimeException) e;
                        done.add(() -> pending.result.completeExceptionally(failure));
                    }
                }
                return done;
            });
            completions.forEach(Runnable::run); // only once committed
        } catch (RuntimeException e) {
            batch.forEach(pending -> pending.result.completeExceptionally(e));
        }
    }

    /**
     * The job an enqueue of {@code job} under {@code rules} would answer with {@code deduped = true}
     * right now, if any. Read only: for a caller that must know before it spends anything on a
     * new job (the bot API's rate limit never refuses an idempotent re-send).
     */
    public Optional<String> dedupeHit(NewJob job, EnqueueRules rules) {
        return database.read(session -> existingAnswer(session, job, rules));
    }

    /** The earlier job with the same idempotency key, or (with the rule) the queued twin. */
    private static Optional<String> existingAnswer(Session session, NewJob job, EnqueueRules rules)
            throws SQLException {
        if (job.idempotencyKey() != null) {
            Optional<String> existing = jobIdForKey(session, job.requester(), job.idempotencyKey());
            if (existing.isPresent()) {
                return existing;
            }
        }
        return rules.onePerKindQueued() ? queuedTwin(session, job) : Optional.empty();
    }

    private EnqueueResult insertJob(Session session, NewJob job, EnqueueRules rules) throws SQLException {
        Optional<String> existing = existingAnswer(session, job, rules);
        if (existing.isPresent()) {
            return new EnqueueResult(existing.get(), true);
        }
        long now = now();
        long runAt = runAtMillis(job, now);
        long payloadBytes = job.payloadJson().getBytes(StandardCharsets.UTF_8).length;
        checkQuotas(session, job.requester(), payloadBytes, rules);
        long turn = runAt > now ? SCHEDULED_TURN : nextTurn(session, job.requester());
        String jobId = UUID.randomUUID().toString();
        PreparedStatement insert = session.prepare("""
                INSERT INTO jobs (job_id, kind, requester, payload_json, idempotency_key, status, priority,
                                  run_at, created_at, updated_at, attempt, max_attempts, turn, payload_bytes)
                VALUES (?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?, 0, ?, ?, ?)
                """);
        insert.setString(1, jobId);
        insert.setString(2, job.kind());
        insert.setString(3, job.requester());
        insert.setString(4, job.payloadJson());
        insert.setString(5, job.idempotencyKey());
        insert.setInt(6, job.priority());
        insert.setLong(7, runAt);
        insert.setLong(8, now);
        insert.setLong(9, now);
        insert.setInt(10, job.maxAttempts());
        insert.setLong(11, turn);
        insert.setLong(12, payloadBytes);
        insert.executeUpdate();
        insertEvent(session, jobId, now, JobEvent.ENQUEUE, "", 0);
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

    private static Optional<String> queuedTwin(Session session, NewJob job) throws SQLException {
        PreparedStatement select = session.prepare(QUEUED_TWIN_SQL);
        select.setString(1, job.requester());
        select.setString(2, job.kind());
        select.setString(3, job.payloadJson());
        try (ResultSet rows = select.executeQuery()) {
            return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
        }
    }

    /** Refuses a job that would take its requester past {@code rules}; skipped when there are none. */
    private static void checkQuotas(Session session, String requester, long payloadBytes, EnqueueRules rules)
            throws SQLException {
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

    /**
     * The turn of {@code requester}'s new job, recorded as its last. A requester with many jobs
     * queued has turns far ahead; one that has none queued gets the turn after the last claimed,
     * so its job goes after at most one job of each other requester of its priority.
     */
    private static long nextTurn(Session session, String requester) throws SQLException {
        PreparedStatement select = session.prepare(NEXT_TURN_SQL);
        select.setString(1, requester);
        long turn;
        try (ResultSet rows = select.executeQuery()) {
            rows.next();
            turn = rows.getLong(1);
        }
        PreparedStatement record = session.prepare("""
                INSERT INTO requester_turns (requester, last_turn) VALUES (?, ?)
                ON CONFLICT (requester) DO UPDATE SET last_turn = excluded.last_turn
                """);
        record.setString(1, requester);
        record.setLong(2, turn);
        record.executeUpdate();
        return turn;
    }

    private static Optional<String> jobIdForKey(Session session, String requester, String key) throws SQLException {
        PreparedStatement select = session.prepare(KEY_LOOKUP_SQL);
        select.setString(1, requester);
        select.setString(2, key);
        try (ResultSet rows = select.executeQuery()) {
            return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
        }
    }

    // ---------------------------------------------------------------- claim and lease

    /**
     * Takes the most urgent due job of one of {@code kinds} for {@code workerId}: highest priority
     * first; among equal priorities requesters take turns (the one served least recently first,
     * each requester's jobs in the order they were enqueued), then earliest {@code runAt}, then
     * oldest. First takes back jobs whose lease ran out
     * (see {@link #reclaimExpiredLeases()}), so a crashed worker's job runs again.
     *
     * @return the job, now {@code running} under a lease of {@code lease}; empty if nothing is due
     */
    public Optional<Job> claimNext(String workerId, Set<String> kinds, Duration lease) {
        requireWorkerId(workerId);
        if (kinds.isEmpty()) {
            throw new InvalidInputException("kinds", "at least one job kind the worker can run", "none");
        }
        kinds.forEach(NewJob::requireKind);
        long leaseMs = requireLease(lease);
        // A look on a reader first: idle workers polling (and woken by every enqueue) must not
        // queue up for the write lock that enqueues and other processes need.
        if (!database.read(session -> anythingToClaim(session, kinds, now()))) {
            return Optional.empty();
        }
        long[] sweptAt = {Long.MIN_VALUE};
        Optional<Job> claimed = database.write(session -> {
            long now = now();
            if (now >= nextLeaseSweepAt) {
                reclaimExpired(session, now);
                promoteDue(session, now);
                sweptAt[0] = now;
            }
            Due best = bestDueJob(session, kinds, now);
            if (best == null) {
                return Optional.<Job>empty();
            }
            PreparedStatement claim = session.prepare("""
                    UPDATE jobs
                       SET status = 'running', locked_by = ?, lease_until = ?, updated_at = ?, attempt = attempt + 1
                     WHERE seq = ? AND status = 'queued'
                    RETURNING\s""" + JobRows.COLUMNS);
            claim.setString(1, workerId);
            claim.setLong(2, now + leaseMs);
            claim.setLong(3, now);
            claim.setLong(4, best.seq());
            Job job;
            try (ResultSet rows = claim.executeQuery()) {
                if (!rows.next()) {
                    throw new IllegalStateException("claimed job vanished inside its transaction: seq " + best.seq());
                }
                job = JobRows.job(rows);
            }
            PreparedStatement advance = session.prepare("UPDATE claim_turn SET turn = ?1 WHERE id = 1 AND turn < ?1");
            advance.setLong(1, best.turn());
            advance.executeUpdate();
            insertEvent(session, job.id(), now, JobEvent.CLAIM, workerId, job.attempt());
            return Optional.of(job);
        });
        if (sweptAt[0] != Long.MIN_VALUE) {
            // Only now: a sweep that rolled back (the disk was full) must run again on the next
            // claim, or that claim would find nothing due and pass for a success.
            nextLeaseSweepAt = sweptAt[0] + LEASE_SWEEP_INTERVAL_MS;
        }
        return claimed;
    }

    /** Whether a claim could find anything: a due job of these kinds, or a lease that ran out. */
    private static boolean anythingToClaim(Session session, Set<String> kinds, long now) throws SQLException {
        if (bestDueJob(session, kinds, now) != null) {
            return true;
        }
        PreparedStatement expired = session.prepare(EXPIRED_LEASES_SQL);
        expired.setLong(1, now);
        expired.setInt(2, 1);
        try (ResultSet rows = expired.executeQuery()) {
            return rows.next();
        }
    }

    /** A due job's place in the claim order. */
    private record Due(long seq, int priority, long turn, long runAt) implements Comparable<Due> {
        private static final Comparator<Due> ORDER = Comparator.comparingInt(Due::priority).reversed()
                .thenComparingLong(Due::turn).thenComparingLong(Due::runAt).thenComparingLong(Due::seq);

        @Override
        public int compareTo(Due other) {
            return ORDER.compare(this, other);
        }
    }

    /**
     * The most urgent due job among {@code kinds}, or null. One index seek per kind on
     * {@code jobs_due}; merging a handful of candidates here beats a sort over all queued rows.
     */
    private static Due bestDueJob(Session session, Set<String> kinds, long now) throws SQLException {
        PreparedStatement select = session.prepare(DUE_JOB_SQL);
        Due best = null;
        for (String kind : kinds) {
            select.setString(1, kind);
            select.setLong(2, now);
            try (ResultSet rows = select.executeQuery()) {
                if (!rows.next()) {
                    continue;
                }
                Due due = new Due(rows.getLong(1), rows.getInt(2), rows.getLong(3), rows.getLong(4));
                if (best == null || due.compareTo(best) < 0) {
                    best = due;
                }
            }
        }
        return best;
    }

    /**
     * Takes back running jobs whose lease ran out: their worker died or hung. A job with attempts
     * left goes back to the queue; one on its last attempt fails; one whose cancel was requested
     * ends canceled. Claims do this too; a housekeeping loop calls it when nothing claims.
     *
     * @return how many jobs were taken back
     */
    public int reclaimExpiredLeases() {
        return database.write(session -> {
            long now = now();
            promoteDue(session, now);
            return reclaimExpired(session, now);
        });
    }

    private int reclaimExpired(Session session, long now) throws SQLException {
        PreparedStatement expired = session.prepare(EXPIRED_LEASES_SQL);
        expired.setLong(1, now);
        expired.setInt(2, RECLAIM_BATCH);
        List<Expired> rows = new ArrayList<>();
        try (ResultSet result = expired.executeQuery()) {
            while (result.next()) {
                rows.add(new Expired(result.getLong(1), result.getString(2), result.getInt(3), result.getInt(4),
                        result.getString(5), result.getInt(6) != 0));
            }
        }
        for (Expired row : rows) {
            String why = "lease of worker " + row.worker + " expired during attempt " + row.attempt
                    + " of " + row.maxAttempts;
            if (row.cancelRequested) {
                endRunning(session, row.seq, JobStatus.CANCELED, now, why);
                insertEvent(session, row.jobId, now, JobEvent.CANCEL, why, row.attempt);
            } else if (row.attempt >= row.maxAttempts) {
                endRunning(session, row.seq, JobStatus.FAILED, now, why);
                insertEvent(session, row.jobId, now, JobEvent.FAIL, why, row.attempt);
            } else {
                requeue(session, row.seq, now, now, why, row.attempt);
                insertEvent(session, row.jobId, now, JobEvent.RECLAIM, why, row.attempt);
            }
        }
        return rows.size();
    }

    /**
     * Gives jobs enqueued to run later, now due, their turn (as if enqueued now). Until then they
     * can be claimed too, after every other due job of their priority.
     */
    private static void promoteDue(Session session, long now) throws SQLException {
        PreparedStatement select = session.prepare(SCHEDULED_DUE_SQL);
        select.setLong(1, now);
        select.setInt(2, RECLAIM_BATCH);
        List<Long> seqs = new ArrayList<>();
        List<String> requesters = new ArrayList<>();
        try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                seqs.add(rows.getLong(1));
                requesters.add(rows.getString(2));
            }
        }
        PreparedStatement update = session.prepare("UPDATE jobs SET turn = ? WHERE seq = ? AND status = 'queued'");
        for (int i = 0; i < seqs.size(); i++) {
            update.setLong(1, nextTurn(session, requesters.get(i)));
            update.setLong(2, seqs.get(i));
            expectOneRow(update.executeUpdate(), "seq " + seqs.get(i));
        }
    }

    /** A running job whose lease ran out. */
    private record Expired(long seq, String jobId, int attempt, int maxAttempts, String worker,
            boolean cancelRequested) {
    }

    /**
     * Renews {@code workerId}'s lease on a running job to {@code lease} from now. Call it well
     * before the lease ends; the answer says whether to go on, stop for a cancel, or stop because
     * the job is no longer yours.
     */
    public LeaseStatus extendLease(String jobId, String workerId, Duration lease) {
        requireWorkerId(workerId);
        long leaseMs = requireLease(lease);
        return database.write(session -> {
            PreparedStatement extend = session.prepare("""
                    UPDATE jobs SET lease_until = ?
                     WHERE job_id = ? AND status = 'running' AND locked_by = ?
                    RETURNING cancel_requested
                    """);
            extend.setLong(1, now() + leaseMs);
            extend.setString(2, jobId);
            extend.setString(3, workerId);
            try (ResultSet rows = extend.executeQuery()) {
                if (!rows.next()) {
                    return LeaseStatus.LOST;
                }
                return rows.getInt(1) != 0 ? LeaseStatus.CANCEL_REQUESTED : LeaseStatus.HELD;
            }
        });
    }

    // ---------------------------------------------------------------- finishing a claimed job

    /**
     * Ends {@code workerId}'s running job {@code done} with {@code resultJson} (JSON text or null),
     * unless its cancel was requested: then nothing changes and the answer is
     * {@link Completion#CANCEL_REQUESTED}.
     */
    public Completion ack(String jobId, String workerId, String resultJson) {
        requireWorkerId(workerId);
        if (resultJson != null) {
            JsonText.requireValid("result", resultJson, MAX_RESULT_BYTES);
        }
        return database.write(session -> {
            long now = now();
            PreparedStatement done = session.prepare("""
                    UPDATE jobs SET status = 'done', locked_by = NULL, lease_until = NULL, updated_at = ?, result_json = ?
                     WHERE job_id = ? AND status = 'running' AND locked_by = ? AND cancel_requested = 0
                    RETURNING attempt
                    """);
            done.setLong(1, now);
            done.setString(2, resultJson);
            done.setString(3, jobId);
            done.setString(4, workerId);
            int attempt;
            try (ResultSet row = done.executeQuery()) {
                if (!row.next()) {
                    Held held = held(session, jobId, workerId);
                    if (held.outcome != null) {
                        return held.outcome;
                    }
                    if (held.cancelRequested) {
                        return Completion.CANCEL_REQUESTED;
                    }
                    throw new IllegalStateException("job " + jobId + " is held by " + workerId
                            + " but its update matched nothing");
                }
                attempt = row.getInt(1);
            }
            insertEvent(session, jobId, now, JobEvent.ACK, "", attempt);
            return Completion.DONE;
        });
    }

    /**
     * Records a failed attempt. With attempts left, the job waits {@link RetryPolicy#delayAfter}
     * and runs again; otherwise it is {@code failed}. A job whose cancel was requested is left
     * running and the answer is {@link Completion#CANCEL_REQUESTED}: it ends {@code canceled}
     * through {@link #finishCanceled}, once the worker has undone what it did.
     */
    public Completion fail(String jobId, String workerId, String error) {
        return failAttempt(jobId, workerId, error, true);
    }

    /** Like {@link #fail} but without retries: for errors another attempt cannot fix (bad input). */
    public Completion failPermanently(String jobId, String workerId, String error) {
        return failAttempt(jobId, workerId, error, false);
    }

    private Completion failAttempt(String jobId, String workerId, String error, boolean retryable) {
        requireWorkerId(workerId);
        String message = errorText(error);
        return database.write(session -> {
            Held held = held(session, jobId, workerId);
            if (held.outcome != null) {
                return held.outcome;
            }
            if (held.cancelRequested) {
                return Completion.CANCEL_REQUESTED;
            }
            long now = now();
            if (retryable && held.attempt < held.maxAttempts) {
                long delay = options.retryPolicy().delayAfter(held.attempt, options.random().nextDouble()).toMillis();
                requeue(session, held.seq, now, now + delay, message, held.attempt);
                insertEvent(session, jobId, now, JobEvent.RETRY, message, held.attempt);
                return Completion.RETRY_SCHEDULED;
            }
            endRunning(session, held.seq, JobStatus.FAILED, now, message);
            insertEvent(session, jobId, now, JobEvent.FAIL, message, held.attempt);
            return Completion.FAILED;
        });
    }

    /**
     * Ends a running job whose cancel was requested {@code canceled}; {@code message} (why, what was
     * undone) becomes its error unless empty.
     */
    public Completion finishCanceled(String jobId, String workerId, String message) {
        requireWorkerId(workerId);
        return database.write(session -> {
            Held held = held(session, jobId, workerId);
            if (held.outcome != null) {
                return held.outcome;
            }
            if (!held.cancelRequested) {
                throw new IllegalStateException("no cancel was requested for job " + jobId);
            }
            long now = now();
            String text = message == null ? "" : message.strip();
            endRunning(session, held.seq, JobStatus.CANCELED, now, text); // the reason, as the job's error
            insertEvent(session, jobId, now, JobEvent.CANCEL, text, held.attempt);
            return Completion.CANCELED;
        });
    }

    /**
     * Gives a running job back without using up its attempt, for a worker that stops before the
     * job ends (shutdown). It runs again as soon as a worker is free. A job whose cancel was
     * requested is not given back: the answer is {@link Completion#CANCEL_REQUESTED}, as from
     * {@link #ack}.
     */
    public Completion release(String jobId, String workerId, String reason) {
        requireWorkerId(workerId);
        return database.write(session -> {
            Held held = held(session, jobId, workerId);
            if (held.outcome != null) {
                return held.outcome;
            }
            if (held.cancelRequested) {
                return Completion.CANCEL_REQUESTED;
            }
            long now = now();
            String text = reason == null ? "" : reason.strip();
            PreparedStatement giveBack = session.prepare("""
                    UPDATE jobs SET status = 'queued', locked_by = NULL, lease_until = NULL, run_at = ?, updated_at = ?,
                                    attempt = attempt - 1
                     WHERE seq = ? AND status = 'running'
                    """);
            giveBack.setLong(1, now);
            giveBack.setLong(2, now);
            giveBack.setLong(3, held.seq);
            expectOneRow(giveBack.executeUpdate(), jobId);
            insertEvent(session, jobId, now, JobEvent.RELEASE, text, held.attempt - 1);
            return Completion.RELEASED;
        });
    }

    /** What the store knows of a job a worker claims to hold; {@code outcome} set when it does not. */
    private record Held(Completion outcome, long seq, int attempt, int maxAttempts, boolean cancelRequested) {
    }

    private static Held held(Session session, String jobId, String workerId) throws SQLException {
        PreparedStatement select = session.prepare(
                "SELECT seq, status, locked_by, attempt, max_attempts, cancel_requested FROM jobs WHERE job_id = ?");
        select.setString(1, jobId);
        try (ResultSet row = select.executeQuery()) {
            if (!row.next()) {
                return new Held(Completion.NOT_FOUND, 0, 0, 0, false);
            }
            if (!"running".equals(row.getString(2)) || !workerId.equals(row.getString(3))) {
                return new Held(Completion.LEASE_LOST, 0, 0, 0, false);
            }
            return new Held(null, row.getLong(1), row.getInt(4), row.getInt(5), row.getInt(6) != 0);
        }
    }

    private static void endRunning(Session session, long seq, JobStatus status, long now, String error)
            throws SQLException {
        PreparedStatement end = session.prepare("""
                UPDATE jobs SET status = ?, locked_by = NULL, lease_until = NULL, updated_at = ?,
                                last_error = CASE WHEN ? = '' THEN last_error ELSE ? END
                 WHERE seq = ? AND status = 'running'
                """);
        end.setString(1, status.wireName());
        end.setLong(2, now);
        end.setString(3, error);
        end.setString(4, error);
        end.setLong(5, seq);
        expectOneRow(end.executeUpdate(), "seq " + seq);
    }

    private static void requeue(Session session, long seq, long now, long runAt, String error, int attempt)
            throws SQLException {
        PreparedStatement requeue = session.prepare("""
                UPDATE jobs SET status = 'queued', locked_by = NULL, lease_until = NULL, run_at = ?, updated_at = ?,
                                last_error = ?
                 WHERE seq = ? AND status = 'running' AND attempt = ?
                """);
        requeue.setLong(1, runAt);
        requeue.setLong(2, now);
        requeue.setString(3, error);
        requeue.setLong(4, seq);
        requeue.setInt(5, attempt);
        expectOneRow(requeue.executeUpdate(), "seq " + seq);
    }

    // ---------------------------------------------------------------- cancel

    /**
     * Cancels a job: a queued one at once; a running one is marked "cancel requested". Its worker
     * learns of it from {@link #cancelRequested} (or its next lease renewal), stops the handler and
     * ends the job {@code canceled}; until then {@link #ack} and {@link #fail} refuse to end it.
     */
    public CancelResult cancel(String jobId) {
        return database.write(session -> {
            PreparedStatement select = session.prepare(
                    "SELECT seq, status, attempt, cancel_requested FROM jobs WHERE job_id = ?");
            select.setString(1, jobId);
            long seq;
            JobStatus status;
            int attempt;
            boolean requested;
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return new CancelResult(CancelResult.Outcome.NOT_FOUND, null);
                }
                seq = row.getLong(1);
                status = JobStatus.parse("status", row.getString(2));
                attempt = row.getInt(3);
                requested = row.getInt(4) != 0;
            }
            long now = now();
            switch (status) {
                case QUEUED -> {
                    PreparedStatement cancel = session.prepare(
                            "UPDATE jobs SET status = 'canceled', updated_at = ? WHERE seq = ? AND status = 'queued'");
                    cancel.setLong(1, now);
                    cancel.setLong(2, seq);
                    expectOneRow(cancel.executeUpdate(), jobId);
                    insertEvent(session, jobId, now, JobEvent.CANCEL, "", attempt);
                    return new CancelResult(CancelResult.Outcome.CANCELED, JobStatus.CANCELED);
                }
                case RUNNING -> {
                    if (!requested) {
                        PreparedStatement request = session.prepare("""
                                UPDATE jobs SET cancel_requested = 1, updated_at = ?
                                 WHERE seq = ? AND status = 'running'
                                """);
                        request.setLong(1, now);
                        request.setLong(2, seq);
                        expectOneRow(request.executeUpdate(), jobId);
                        insertEvent(session, jobId, now, JobEvent.CANCEL_REQUESTED, "", attempt);
                    }
                    return new CancelResult(CancelResult.Outcome.CANCEL_REQUESTED, JobStatus.RUNNING);
                }
                default -> {
                    return new CancelResult(CancelResult.Outcome.NOT_CANCELABLE, status);
                }
            }
        });
    }

    /**
     * The running jobs held by workers whose id starts with {@code workerIdPrefix} and whose
     * cancel was requested: what a process's workers must stop. One index seek, cheap enough to
     * ask every poll interval.
     */
    public Set<String> cancelRequested(String workerIdPrefix) {
        requireWorkerId(workerIdPrefix);
        return database.read(session -> {
            PreparedStatement select = session.prepare(CANCEL_WATCH_SQL);
            bindWorkerRange(select, workerIdPrefix);
            Set<String> jobIds = new LinkedHashSet<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    jobIds.add(rows.getString(1));
                }
            }
            return jobIds;
        });
    }

    /** Worker ids are printable ASCII (up to 0x7e), so every id with the prefix sorts below prefix + 0x7f. */
    private static void bindWorkerRange(PreparedStatement select, String workerIdPrefix) throws SQLException {
        select.setString(1, workerIdPrefix);
        select.setString(2, workerIdPrefix + (char) 0x7f);
    }

    /** The query plan of {@link #cancelRequested}; for tests and diagnostics. */
    public List<String> explainCancelWatch() {
        return explain(CANCEL_WATCH_SQL, s -> bindWorkerRange(s, "w"));
    }

    // ---------------------------------------------------------------- reading

    public Optional<Job> get(String jobId) {
        return database.read(session -> {
            PreparedStatement select = session.prepare("SELECT " + JobRows.COLUMNS + " FROM jobs WHERE job_id = ?");
            select.setString(1, jobId);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(JobRows.job(row)) : Optional.<Job>empty();
            }
        });
    }

    /** Shortest id prefix {@link #findByIdPrefix} takes: the 8 characters {@code clf jobs list} shows. */
    public static final int MIN_ID_PREFIX = 8;

    /**
     * The jobs whose id starts with {@code prefix}, of {@code requester} only (null: everyone's),
     * at most {@code limit}, in id order. One range seek on the id's unique index: a prefix is
     * an id range, whatever the table holds; the requester is checked on the rows in that range,
     * so another requester's ids are never returned.
     *
     * @param prefix {@value #MIN_ID_PREFIX}–36 characters of {@code [0-9a-f-]} (upper case is folded)
     */
    public List<Job> findByIdPrefix(String prefix, String requester, int limit) {
        String low = idPrefix(prefix);
        if (requester != null) {
            NewJob.requireRequester("requester", requester);
        }
        if (limit < 1 || limit > JobQuery.MAX_LIMIT) {
            throw new InvalidInputException("limit", "1–" + JobQuery.MAX_LIMIT, limit);
        }
        // The next string after every string starting with low: its last character plus one
        // (ids are ASCII, so this never leaves the character range).
        String high = low.substring(0, low.length() - 1) + (char) (low.charAt(low.length() - 1) + 1);
        return database.read(session -> {
            PreparedStatement select = session.prepare(ID_PREFIX_SQL);
            select.setString(1, low);
            select.setString(2, high);
            select.setString(3, requester);
            select.setInt(4, limit);
            List<Job> jobs = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    jobs.add(JobRows.job(rows));
                }
            }
            return jobs;
        });
    }

    /** The query plan of {@link #findByIdPrefix}; for tests and diagnostics. */
    public List<String> explainFindByIdPrefix() {
        return explain(ID_PREFIX_SQL, s -> {
            s.setString(1, "00000000");
            s.setString(2, "00000001");
            s.setString(3, "r");
            s.setInt(4, 10);
        });
    }

    // The UNIQUE constraint on job_id is this automatic index; naming it keeps SQLite from
    // walking a requester's jobs instead when the requester has few.
    private static final String ID_PREFIX_SQL = "SELECT " + JobRows.COLUMNS
            + " FROM jobs INDEXED BY sqlite_autoindex_jobs_1"
            + " WHERE job_id >= ? AND job_id < ? AND (?3 IS NULL OR requester = ?3) ORDER BY job_id LIMIT ?4";

    private static String idPrefix(String prefix) {
        String text = prefix == null ? "" : prefix.strip().toLowerCase(Locale.ROOT);
        if (text.length() < MIN_ID_PREFIX || text.length() > 36 || !text.matches("[0-9a-f-]+")) {
            throw new InvalidInputException("idPrefix", MIN_ID_PREFIX + "–36 characters of a job id ([0-9a-f-])",
                    prefix == null ? "" : prefix);
        }
        return text;
    }

    /** A page of jobs, newest first. Always an index seek: see {@link ListPlan}. */
    public JobPage list(JobQuery query) {
        ListPlan plan = ListPlan.of(query);
        return database.read(session -> {
            PreparedStatement select = session.prepare(plan.sql());
            plan.bind(select);
            List<Job> jobs = new ArrayList<>();
            long lastSeq = 0;
            boolean more = false;
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    if (jobs.size() == query.limit()) {
                        more = true;
                        break;
                    }
                    jobs.add(JobRows.job(rows));
                    lastSeq = JobRows.seq(rows);
                }
            }
            return new JobPage(jobs, more ? PageCursor.encode(lastSeq) : null);
        });
    }

    /** The query plan SQLite picks for {@code query}, one line per step; for tests and diagnostics. */
    public List<String> explainList(JobQuery query) {
        ListPlan plan = ListPlan.of(query);
        return explain(plan.sql(), plan::bind);
    }

    /**
     * Jobs by kind and status, the runnable backlog and its oldest job, from one read snapshot.
     * Costs a walk of one small index entry per job (the counts) and two index seeks; the table
     * is read only for the kinds of running jobs.
     */
    public QueueStats stats() {
        return database.readSnapshot(session -> {
            long now = now();
            List<QueueStats.Count> counts = new ArrayList<>();
            for (String sql : List.of(QUEUED_COUNTS_SQL, RUNNING_COUNTS_SQL, ENDED_COUNTS_SQL)) {
                try (ResultSet rows = session.prepare(sql).executeQuery()) {
                    while (rows.next()) {
                        counts.add(new QueueStats.Count(rows.getString(2), JobStatus.parse("status", rows.getString(1)),
                                rows.getLong(3)));
                    }
                }
            }
            counts.sort(Comparator.comparing(QueueStats.Count::kind)
                    .thenComparing(QueueStats.Count::status));
            PreparedStatement notDue = session.prepare(NOT_DUE_SQL);
            notDue.setLong(1, now);
            long later;
            try (ResultSet rows = notDue.executeQuery()) {
                rows.next();
                later = rows.getLong(1);
            }
            Instant oldest = null;
            try (ResultSet rows = session.prepare(OLDEST_QUEUED_SQL).executeQuery()) {
                if (rows.next()) {
                    long since = rows.getLong(1);
                    if (!rows.wasNull() && since <= now) {
                        oldest = Instant.ofEpochMilli(since);
                    }
                }
            }
            long queued = counts.stream().filter(count -> count.status() == JobStatus.QUEUED)
                    .mapToLong(QueueStats.Count::jobs).sum();
            return new QueueStats(Instant.ofEpochMilli(now), counts, queued - later, Optional.ofNullable(oldest));
        });
    }

    /** The query plans of {@link #stats()}'s statements; for tests and diagnostics. */
    public List<String> explainStats() {
        List<String> lines = new ArrayList<>();
        lines.addAll(explain(QUEUED_COUNTS_SQL, s -> { }));
        lines.addAll(explain(RUNNING_COUNTS_SQL, s -> { }));
        lines.addAll(explain(ENDED_COUNTS_SQL, s -> { }));
        lines.addAll(explain(NOT_DUE_SQL, s -> s.setLong(1, 0)));
        lines.addAll(explain(OLDEST_QUEUED_SQL, s -> { }));
        return lines;
    }

    /**
     * A trivial query on a reader connection (the newest job's sequence number), for health
     * checks: it proves the file can be read, and fails as every read would when it cannot.
     */
    public void ping() {
        database.read(session -> {
            try (ResultSet rows = session.prepare("SELECT max(seq) FROM jobs").executeQuery()) {
                return rows.next();
            }
        });
    }

    /** The query plans of the claim's statements; for tests and diagnostics. */
    public List<String> explainClaim() {
        List<String> lines = new ArrayList<>();
        lines.addAll(explain(DUE_JOB_SQL, s -> { s.setString(1, "k"); s.setLong(2, 0); }));
        lines.addAll(explain(EXPIRED_LEASES_SQL, s -> { s.setLong(1, 0); s.setInt(2, 1); }));
        lines.addAll(explain(KEY_LOOKUP_SQL,
                s -> { s.setString(1, "r"); s.setString(2, "k"); }));
        return lines;
    }

    /** The query plans of an enqueue's quota and turn statements and of {@link #promoteDue}; for tests and diagnostics. */
    public List<String> explainEnqueueRules() {
        List<String> lines = new ArrayList<>();
        lines.addAll(explain(SCHEDULED_DUE_SQL, s -> { s.setLong(1, 0); s.setInt(2, 1); }));
        lines.addAll(explain(ACTIVE_SQL, s -> s.setString(1, "r")));
        lines.addAll(explain(QUEUED_TWIN_SQL, s -> { s.setString(1, "r"); s.setString(2, "k"); s.setString(3, "{}"); }));
        lines.addAll(explain(NEXT_TURN_SQL, s -> s.setString(1, "r")));
        return lines;
    }

    private interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    private List<String> explain(String sql, Binder binder) {
        return database.read(session -> {
            PreparedStatement statement = session.prepare("EXPLAIN QUERY PLAN " + sql);
            binder.bind(statement);
            List<String> lines = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    lines.add(rows.getString("detail"));
                }
            }
            return lines;
        });
    }

    /** The job's history, oldest first; empty if there is no such job. */
    public List<JobEvent> events(String jobId) {
        return database.read(session -> {
            PreparedStatement select = session.prepare(
                    "SELECT id, job_id, at, type, message, attempt FROM job_events WHERE job_id = ? ORDER BY id");
            select.setString(1, jobId);
            List<JobEvent> events = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    events.add(new JobEvent(rows.getLong(1), rows.getString(2),
                            Instant.ofEpochMilli(rows.getLong(3)), rows.getString(4), rows.getString(5),
                            rows.getInt(6)));
                }
            }
            return events;
        });
    }

    /**
     * Adds an event of a handler's own (e.g. {@code cattle.env-fetched}) to a job's history.
     *
     * @return false if there is no such job
     */
    public boolean recordEvent(String jobId, String type, String message) {
        if (type == null || type.length() > 64 || !EVENT_TYPE.matcher(type).matches()) {
            throw new InvalidInputException("type", "dot-separated words of [a-z0-9_-], up to 64 chars", type);
        }
        String text = message == null ? "" : message.strip();
        return database.write(session -> {
            PreparedStatement select = session.prepare("SELECT attempt FROM jobs WHERE job_id = ?");
            select.setString(1, jobId);
            int attempt;
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return false;
                }
                attempt = row.getInt(1);
            }
            insertEvent(session, jobId, now(), type, text, attempt);
            return true;
        });
    }

    // ---------------------------------------------------------------- housekeeping

    /**
     * Deletes jobs that ended ({@code done}, {@code failed}, {@code canceled}) more than
     * {@code olderThan} ago, with their events. Works in small transactions so that workers are
     * never kept waiting long.
     */
    public PruneResult prune(Duration olderThan) {
        if (olderThan == null || olderThan.isNegative()) {
            throw new InvalidInputException("olderThan", "a duration of zero or more", olderThan);
        }
        long cutoff = now() - olderThan.toMillis();
        int jobs = 0;
        int events = 0;
        for (JobStatus status : JobStatus.values()) {
            if (!status.isTerminal()) {
                continue;
            }
            while (true) {
                int[] batch = database.write(session -> pruneBatch(session, status, cutoff));
                jobs += batch[0];
                events += batch[1];
                if (batch[0] < PRUNE_BATCH) {
                    break;
                }
            }
        }
        return new PruneResult(jobs, events);
    }

    private static int[] pruneBatch(Session session, JobStatus status, long cutoff) throws SQLException {
        List<String> ids = new ArrayList<>();
        PreparedStatement select = session.prepare(
                "SELECT job_id FROM jobs WHERE status = ? AND updated_at < ? LIMIT " + PRUNE_BATCH);
        select.setString(1, status.wireName());
        select.setLong(2, cutoff);
        try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
        }
        int events = 0;
        PreparedStatement deleteEvents = session.prepare("DELETE FROM job_events WHERE job_id = ?");
        PreparedStatement deleteJob = session.prepare("DELETE FROM jobs WHERE job_id = ?");
        for (String id : ids) {
            deleteEvents.setString(1, id);
            events += deleteEvents.executeUpdate();
            deleteJob.setString(1, id);
            deleteJob.executeUpdate();
        }
        return new int[] {ids.size(), events};
    }

    // ---------------------------------------------------------------- shared pieces

    private static void insertEvent(Session session, String jobId, long at, String type, String message, int attempt)
            throws SQLException {
        PreparedStatement insert = session.prepare(
                "INSERT INTO job_events (job_id, at, type, message, attempt) VALUES (?, ?, ?, ?, ?)");
        insert.setString(1, jobId);
        insert.setLong(2, at);
        insert.setString(3, type);
        insert.setString(4, message);
        insert.setInt(5, attempt);
        insert.executeUpdate();
    }

    private static void expectOneRow(int changed, String what) {
        if (changed != 1) {
            // The guard was checked in this same transaction, so anything else is a bug.
            throw new IllegalStateException("expected to change 1 row for " + what + ", changed " + changed);
        }
    }

    private long now() {
        return options.clock().millis();
    }

    private static void requireWorkerId(String workerId) {
        if (workerId == null || !WORKER_ID.matcher(workerId).matches()) {
            throw new InvalidInputException("workerId", "1–128 printable ASCII chars without spaces", workerId);
        }
    }

    private static long requireLease(Duration lease) {
        if (lease == null || lease.compareTo(MIN_LEASE) < 0 || lease.compareTo(MAX_LEASE) > 0) {
            throw new InvalidInputException("lease", MIN_LEASE.toMillis() + " ms to 1 h", lease);
        }
        return lease.toMillis();
    }

    private static String errorText(String error) {
        String text = error == null ? "" : error.strip();
        if (text.isEmpty()) {
            return "unknown error";
        }
        return text.length() > MAX_ERROR_CHARS ? text.substring(0, MAX_ERROR_CHARS) + "…" : text;
    }

    @Override
    public void close() {
        database.close();
    }
}
