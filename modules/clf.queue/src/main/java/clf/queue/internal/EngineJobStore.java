package clf.queue.internal;

import clf.queue.CancelResult;
import clf.queue.Completion;
import clf.queue.Job;
import clf.queue.JobEvent;
import clf.queue.JobPage;
import clf.queue.JobQuery;
import clf.queue.JobStore;
import clf.queue.PruneResult;
import clf.queue.StoreOptions;
import clf.queue.sql.SqlDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What a store engine hands to the parts both engines share: finishing a claimed job, cancels,
 * reads, the event log and pruning run the same SQL on SQLite and PostgreSQL. An engine adds its
 * own enqueues, claims, stats and wake-ups. Inputs arrive checked ({@link CheckedJobStore}).
 */
public abstract class EngineJobStore implements JobStore {
    private final Finishes finishes;
    private final Cancels cancels;
    private final Reads reads;
    private final EventLog events;
    private final Pruner pruner;
    private final NextDue nextDue;

    protected EngineJobStore(SqlDatabase database, StoreOptions options) {
        this.finishes = new Finishes(database, options);
        this.cancels = new Cancels(database, options.clock());
        this.reads = new Reads(database);
        this.events = new EventLog(database, options.clock());
        this.pruner = new Pruner(database, options.clock());
        this.nextDue = new NextDue(database, options.clock());
    }

    /**
     * Throws a {@link clf.queue.StoreException} once the store is closed, before any call; for an
     * engine whose database outlives the store. By default the closed database refuses the call.
     */
    protected void requireOpen() {
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
    public Optional<Instant> nextDue() {
        requireOpen();
        return nextDue.next();
    }

    /** Empty unless the engine can tell cheaply (see {@link JobStore#changeStamp}). */
    @Override
    public OptionalLong changeStamp() {
        return OptionalLong.empty();
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
    public void ping() {
        requireOpen();
        reads.ping();
    }

    @Override
    public PruneResult prune(Duration olderThan) {
        requireOpen();
        return pruner.prune(olderThan);
    }
}
