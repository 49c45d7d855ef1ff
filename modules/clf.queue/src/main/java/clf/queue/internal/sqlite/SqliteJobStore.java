package clf.queue.internal.sqlite;

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
import clf.queue.StoreOptions;
import clf.queue.internal.Cancels;
import clf.queue.internal.EnqueueListeners;
import clf.queue.internal.EventLog;
import clf.queue.internal.Finishes;
import clf.queue.internal.Pruner;
import clf.queue.internal.Reads;
import clf.queue.sqlite.Database;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The job store on one SQLite file (WAL): one host's queue, shared by the processes that open
 * the file. Each part of the contract is a class of its own; this one only hands calls on.
 * Inputs arrive checked ({@link clf.queue.internal.CheckedJobStore}).
 */
public final class SqliteJobStore implements JobStore {
    private final Database database;
    private final Enqueues enqueues;
    private final Claims claims;
    private final Finishes finishes;
    private final Cancels cancels;
    private final Reads reads;
    private final EventLog events;
    private final Stats stats;
    private final Pruner pruner;
    private final EnqueueListeners listeners = new EnqueueListeners();

    private SqliteJobStore(Database database, StoreOptions options) {
        this.database = database;
        this.enqueues = new Enqueues(database, options.clock(), listeners);
        this.claims = new Claims(database, options.clock());
        this.finishes = new Finishes(database, options);
        this.cancels = new Cancels(database, options.clock());
        this.reads = new Reads(database);
        this.events = new EventLog(database, options.clock());
        this.stats = new Stats(database, options.clock());
        this.pruner = new Pruner(database, options.clock());
    }

    /** Opens (creating if needed) the file, private to this user, with the current schema. */
    public static SqliteJobStore open(Path databaseFile, StoreOptions options) {
        return new SqliteJobStore(Database.open(databaseFile, options.busyTimeout(), JobSchema.SCHEMA), options);
    }

    @Override
    public EnqueueResult enqueue(NewJob job, EnqueueRules rules) {
        return enqueues.enqueue(job, rules);
    }

    @Override
    public Optional<String> dedupeHit(NewJob job, EnqueueRules rules) {
        return enqueues.dedupeHit(job, rules);
    }

    /** This process's enqueues only: another process on the file polls (one host, short poll). */
    @Override
    public Subscription onEnqueued(Runnable listener) {
        return listeners.add(listener);
    }

    @Override
    public Optional<Job> claimNext(String workerId, Set<String> kinds, Duration lease) {
        return claims.claimNext(workerId, kinds, lease);
    }

    @Override
    public int reclaimExpiredLeases() {
        return claims.reclaimExpiredLeases();
    }

    @Override
    public LeaseStatus extendLease(String jobId, String workerId, Duration lease) {
        return claims.extendLease(jobId, workerId, lease);
    }

    @Override
    public Completion ack(String jobId, String workerId, String resultJson) {
        return finishes.ack(jobId, workerId, resultJson);
    }

    @Override
    public Completion fail(String jobId, String workerId, String error) {
        return finishes.fail(jobId, workerId, error, true);
    }

    @Override
    public Completion failPermanently(String jobId, String workerId, String error) {
        return finishes.fail(jobId, workerId, error, false);
    }

    @Override
    public Completion finishCanceled(String jobId, String workerId, String message) {
        return finishes.finishCanceled(jobId, workerId, message);
    }

    @Override
    public Completion release(String jobId, String workerId, String reason) {
        return finishes.release(jobId, workerId, reason);
    }

    @Override
    public CancelResult cancel(String jobId) {
        return cancels.cancel(jobId);
    }

    @Override
    public Set<String> cancelRequested(String workerIdPrefix) {
        return cancels.cancelRequested(workerIdPrefix);
    }

    @Override
    public Optional<Job> get(String jobId) {
        return reads.get(jobId);
    }

    @Override
    public List<Job> findByIdPrefix(String prefix, String requester, int limit) {
        return reads.findByIdPrefix(prefix, requester, limit);
    }

    @Override
    public JobPage list(JobQuery query) {
        return reads.list(query);
    }

    @Override
    public List<JobEvent> events(String jobId) {
        return events.events(jobId);
    }

    @Override
    public boolean recordEvent(String jobId, String type, String message) {
        return events.record(jobId, type, message);
    }

    @Override
    public QueueStats stats() {
        return stats.stats();
    }

    @Override
    public void ping() {
        reads.ping();
    }

    @Override
    public PruneResult prune(Duration olderThan) {
        return pruner.prune(olderThan);
    }

    @Override
    public void close() {
        database.close();
    }
}
