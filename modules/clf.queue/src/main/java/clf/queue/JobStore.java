package clf.queue;

import clf.protocol.InvalidInputException;
import clf.protocol.Protocol;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The durable job queue: what every store engine (one host's SQLite file, a fleet's shared
 * PostgreSQL) promises. Open one with {@link JobStores}. Safe to share between threads, and
 * between processes (on PostgreSQL: hosts) that open the same store.
 *
 * <p>Every transition is one method: one write transaction, an update guarded by the expected
 * status ({@link JobStatus#canMoveTo}) and, for a worker, its lock, a check of how many rows
 * changed, and an event row in the same transaction. A guard that matches nothing yields a
 * specific outcome ({@link Completion#LEASE_LOST}, {@link Completion#NOT_FOUND}, …), never a
 * silent no-op.
 *
 * <p>Inputs are checked before any engine sees them: a bad one is an {@link InvalidInputException}
 * naming the field. A store that cannot do its work throws {@link StoreException}.
 */
public interface JobStore extends AutoCloseable {
    Duration MIN_LEASE = Duration.ofMillis(100);
    Duration MAX_LEASE = Duration.ofHours(1);
    /** Shortest id prefix {@link #findByIdPrefix} takes: the 8 characters {@code clf jobs list} shows. */
    int MIN_ID_PREFIX = Protocol.MIN_ID_PREFIX;

    // ---------------------------------------------------------------- enqueue

    /** As {@link #enqueue(NewJob, EnqueueRules)} with {@link EnqueueRules#NONE}. */
    default EnqueueResult enqueue(NewJob job) {
        return enqueue(job, EnqueueRules.NONE);
    }

    /**
     * Stores a new job, or, when {@code job} carries an idempotency key that its requester used
     * before (or {@code rules} fold it into a queued twin), returns that earlier job untouched
     * with {@code deduped = true}. {@code rules} are checked in the transaction that stores the job.
     *
     * @throws QuotaExceededException if the job would take its requester past a limit of {@code rules}
     */
    EnqueueResult enqueue(NewJob job, EnqueueRules rules);

    /**
     * The job an enqueue of {@code job} under {@code rules} would answer with {@code deduped = true}
     * right now, if any. Read only: for a caller that must know before it spends anything on a
     * new job (the bot API's rate limit never refuses an idempotent re-send).
     */
    Optional<String> dedupeHit(NewJob job, EnqueueRules rules);

    /**
     * Calls {@code listener} after each new job that is due at once (not a dedupe, not one whose
     * {@code runAt} is later: the workers' polls find that one when its time comes) is committed, by any process that
     * shares this store: SQLite, this process's own enqueues; PostgreSQL, every host's (a
     * {@code NOTIFY} in the enqueue's transaction, heard on a connection of its own). For idle
     * workers to claim at once instead of at their next poll. The listener runs on the
     * enqueuer's thread (SQLite) or the store's listening thread (PostgreSQL): it must be quick
     * and must not block. A wake is a hint: a lost one (a dropped connection) costs one poll
     * interval, so polling stays; after a reconnect the listeners are called once, as jobs may
     * have come while no one listened. Every job committed after this returns is heard.
     *
     * @return the subscription; closing it stops the calls
     */
    Subscription onEnqueued(Runnable listener);

    /** A listener's registration; {@link #close()} ends it and never fails. */
    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    // ---------------------------------------------------------------- claim and lease

    /**
     * Takes the most urgent due job of one of {@code kinds} for {@code workerId}: highest priority
     * first; among equal priorities requesters take turns (the one served least recently first,
     * each requester's jobs in the order they were enqueued), then earliest {@code runAt}, then
     * oldest. First takes back jobs whose lease ran out (see {@link #reclaimExpiredLeases()}), so
     * a crashed worker's job runs again.
     *
     * @return the job, now {@code running} under a lease of {@code lease}; empty if nothing is due
     */
    Optional<Job> claimNext(String workerId, Set<String> kinds, Duration lease);

    /**
     * When a claim next could find a job that no write has to bring first: the earliest queued job
     * that becomes runnable after now (scheduled for later, or waiting out a retry's backoff) or the
     * earliest lease of a running job to run out, whatever its kind; empty when there is neither.
     * Idle workers sleep until then instead of asking every poll interval. Jobs due now are not
     * included: a claim finds those.
     */
    Optional<Instant> nextDue();

    /**
     * A number that changes whenever anything is committed to the store, by this process or any
     * other sharing it, read without touching a table; empty when the engine cannot tell that
     * cheaply (PostgreSQL: another host's commits are heard only as {@link #onEnqueued} wakes). An
     * idle worker compares it to decide whether a claim could find something new.
     */
    OptionalLong changeStamp();

    /**
     * Takes back running jobs whose lease ran out: their worker died or hung. A job with attempts
     * left goes back to the queue; one on its last attempt fails; one whose cancel was requested
     * ends canceled. Claims do this too; a housekeeping loop calls it when nothing claims.
     *
     * @return how many jobs were taken back
     */
    int reclaimExpiredLeases();

    /**
     * Renews {@code workerId}'s lease on a running job to {@code lease} from now. Call it well
     * before the lease ends; the answer says whether to go on, stop for a cancel, or stop because
     * the job is no longer yours.
     */
    LeaseStatus extendLease(String jobId, String workerId, Duration lease);

    // ---------------------------------------------------------------- finishing a claimed job

    /**
     * Ends {@code workerId}'s running job {@code done} with {@code resultJson} (JSON text or null),
     * unless its cancel was requested: then nothing changes and the answer is
     * {@link Completion#CANCEL_REQUESTED}.
     */
    Completion ack(String jobId, String workerId, String resultJson);

    /**
     * Records a failed attempt. With attempts left, the job waits {@link RetryPolicy#delayAfter}
     * and runs again; otherwise it is {@code failed}. A job whose cancel was requested is left
     * running and the answer is {@link Completion#CANCEL_REQUESTED}: it ends {@code canceled}
     * through {@link #finishCanceled}, once the worker has undone what it did.
     */
    Completion fail(String jobId, String workerId, String error);

    /** Like {@link #fail} but without retries: for errors another attempt cannot fix (bad input). */
    Completion failPermanently(String jobId, String workerId, String error);

    /**
     * Ends a running job whose cancel was requested {@code canceled}; {@code message} (why, what was
     * undone) becomes its error unless empty.
     *
     * @throws IllegalStateException if no cancel was requested for the job
     */
    Completion finishCanceled(String jobId, String workerId, String message);

    /**
     * Gives a running job back without using up its attempt, for a worker that stops before the
     * job ends (shutdown). It runs again as soon as a worker is free. A job whose cancel was
     * requested is not given back: the answer is {@link Completion#CANCEL_REQUESTED}, as from
     * {@link #ack}.
     */
    Completion release(String jobId, String workerId, String reason);

    // ---------------------------------------------------------------- cancel

    /**
     * Cancels a job: a queued one at once; a running one is marked "cancel requested". Its worker
     * learns of it from {@link #cancelRequested} (or its next lease renewal), stops the handler and
     * ends the job {@code canceled}; until then {@link #ack} and {@link #fail} refuse to end it.
     */
    CancelResult cancel(String jobId);

    /**
     * The running jobs held by workers whose id starts with {@code workerIdPrefix} and whose
     * cancel was requested: what a process's workers must stop. Cheap enough to ask every poll
     * interval.
     */
    Set<String> cancelRequested(String workerIdPrefix);

    // ---------------------------------------------------------------- reading

    Optional<Job> get(String jobId);

    /**
     * The jobs whose id starts with {@code prefix}, of {@code requester} only (null: everyone's),
     * at most {@code limit}, in id order; another requester's ids are never returned.
     *
     * @param prefix {@value #MIN_ID_PREFIX}–36 characters of {@code [0-9a-f-]} (upper case is folded)
     */
    List<Job> findByIdPrefix(String prefix, String requester, int limit);

    /** A page of jobs, newest first, by a keyset cursor: a page costs the same however deep. */
    JobPage list(JobQuery query);

    /** The job's history, oldest first; empty if there is no such job. */
    List<JobEvent> events(String jobId);

    /**
     * Adds an event of a handler's own (e.g. {@code cattle.env-fetched}) to a job's history.
     *
     * @return false if there is no such job
     */
    boolean recordEvent(String jobId, String type, String message);

    /** Jobs by kind and status, the runnable backlog and its oldest job, from one read snapshot. */
    QueueStats stats();

    /**
     * A trivial read, for health checks: it proves the store can be read, and fails as every
     * read would when it cannot.
     */
    void ping();

    // ---------------------------------------------------------------- housekeeping

    /**
     * Deletes jobs that ended ({@link JobStatus#ENDED}) more than {@code olderThan} ago, with
     * their events, in small transactions so that workers are never kept waiting long.
     */
    PruneResult prune(Duration olderThan);

    /** Closes the store; every later call fails with a {@link StoreException}. */
    @Override
    void close();
}
