package clf.queue.internal.postgres;

import clf.queue.CancelResult;
import clf.queue.Completion;
import clf.queue.EnqueueResult;
import clf.queue.EnqueueRules;
import clf.queue.Job;
import clf.queue.JobEvent;
import clf.queue.JobPage;
import clf.queue.JobQuery;
import clf.queue.JobStore;
import clf.queue.LeaseStatus;
import clf.queue.NewJob;
import clf.queue.PruneResult;
import clf.queue.QueueStats;
import clf.queue.StoreException;
import clf.queue.StoreOptions;
import clf.queue.internal.Cancels;
import clf.queue.internal.EventLog;
import clf.queue.internal.Finishes;
import clf.queue.internal.Pruner;
import clf.queue.internal.Reads;
import clf.queue.postgres.PostgresDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The job store in a fleet's shared PostgreSQL: every host's orchestrator works on the same
 * jobs. Each part of the contract is a class of its own (the engine-neutral ones shared with
 * SQLite, in {@code clf.queue.internal}); this one only hands calls on. Inputs arrive checked
 * ({@link clf.queue.internal.CheckedJobStore}).
 *
 * <p>The database is the caller's: the token and capacity stores share its connections, so
 * {@link #close()} stops this store (its listening thread; later calls fail) and leaves the
 * database open. Whoever opened the database closes it, after its stores.
 */
public final class PostgresJobStore implements JobStore {
    private final PostgresDatabase database;
    private final Enqueues enqueues;
    private final Claims claims;
    private final Finishes finishes;
    private final Cancels cancels;
    private final Reads reads;
    private final EventLog events;
    private final Stats stats;
    private final Pruner pruner;
    private final Wakeups wakeups;
    private volatile boolean closed;

    private PostgresJobStore(PostgresDatabase database, StoreOptions options) {
        this.database = database;
        this.enqueues = new Enqueues(database, options.clock());
        this.claims = new Claims(database, options.clock());
        this.finishes = new Finishes(database, options);
        this.cancels = new Cancels(database, options.clock());
        this.reads = new Reads(database);
        this.events = new EventLog(database, options.clock());
        this.stats = new Stats(database, options.clock());
        this.pruner = new Pruner(database, options.clock());
        this.wakeups = new Wakeups(database);
    }

    /** Brings the job tables of {@code database} up to date (under its migration lock) and opens the store. */
    public static PostgresJobStore open(PostgresDatabase database, StoreOptions options) {
        database.migrate(JobSchema.SCHEMA);
        return new PostgresJobStore(database, options);
    }

    private void requireOpen() {
        if (closed) {
            throw new StoreException("the job store on " + database.location() + " is closed");
        }
    }

    @Override
    public EnqueueResult enqueue(NewJob job, EnqueueRules rules) {
        requireOpen();
        return enqueues.enqueue(job, rules);
    }

    @Override
    public Optional<String> dedupeHit(NewJob job, EnqueueRules rules) {
        requireOpen();
        return enqueues.dedupeHit(job, rules);
    }

    @Override
    public Subscription onEnqueued(Runnable listener) {
        requireOpen();
        return wakeups.add(listener);
    }

    @Override
    public Optional<Job> claimNext(String workerId, Set<String> kinds, Duration lease) {
        requireOpen();
        return claims.claimNext(workerId, kinds, lease);
    }

    @Override
    public int reclaimExpiredLeases() {
        requireOpen();
        return claims.reclaimExpiredLeases();
    }

    @Override
    public LeaseStatus extendLease(String jobId, String workerId, Duration lease) {
        requireOpen();
        return claims.extendLease(jobId, workerId, lease);
    }

    @Override
    public Completion ack(String jobId, String workerId, String resultJson) {
        requireOpen();
        return finishes.ack(jobId, workerId, resultJson);
    }

    @Override
    public Completion fail(String jobId, String workerId, String error) {
        requireOpen();
        return finishes.fail(jobId, workerId, error, true);
    }

    @Override
    public Completion failPermanently(String jobId, String workerId, String error) {
        requireOpen();
        return finishes.fail(jobId, workerId, error, false);
    }

    @Override
    public Completion finishCanceled(String jobId, String workerId, String message) {
        requireOpen();
        return finishes.finishCanceled(jobId, workerId, message);
    }

    @Override
    public Completion release(String jobId, String workerId, String reason) {
        requireOpen();
        return finishes.release(jobId, workerId, reason);
    }

    @Override
    public CancelResult cancel(String jobId) {
        requireOpen();
        return cancels.cancel(jobId);
    }

    @Override
    public Set<String> cancelRequested(String workerIdPrefix) {
        requireOpen();
        return cancels.cancelRequested(workerIdPrefix);
    }

    @Override
    public Optional<Job> get(String jobId) {
        requireOpen();
        return reads.get(jobId);
    }

    @Override
    public List<Job> findByIdPrefix(String prefix, String requester, int limit) {
        requireOpen();
        return reads.findByIdPrefix(prefix, requester, limit);
    }

    @Override
    public JobPage list(JobQuery query) {
        requireOpen();
        return reads.list(query);
    }

    @Override
    public List<JobEvent> events(String jobId) {
        requireOpen();
        return events.events(jobId);
    }

    @Override
    public boolean recordEvent(String jobId, String type, String message) {
        requireOpen();
        return events.record(jobId, type, message);
    }

    @Override
    public QueueStats stats() {
        requireOpen();
        return stats.stats();
    }

    @Override
    public void ping() {
        requireOpen();
        reads.ping();
    }

    @Override
    public PruneResult prune(Duration olderThan) {
        requireOpen();
        return pruner.prune(olderThan);
    }

    /** Stops listening and refuses later calls; the database stays open (see the class comment). */
    @Override
    public void close() {
        closed = true;
        wakeups.close();
    }
}
