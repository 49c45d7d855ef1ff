package clf.queue.internal.postgres;

import clf.queue.EnqueueResult;
import clf.queue.EnqueueRules;
import clf.queue.Job;
import clf.queue.LeaseStatus;
import clf.queue.NewJob;
import clf.queue.QueueStats;
import clf.queue.StoreException;
import clf.queue.StoreOptions;
import clf.queue.internal.EngineJobStore;
import clf.queue.postgres.PostgresDatabase;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * The job store in a fleet's shared PostgreSQL: every host's orchestrator works on the same
 * jobs. Each part of the contract is a class of its own (the engine-neutral ones shared with
 * SQLite through {@link EngineJobStore}); this one only hands calls on.
 *
 * <p>The database is the caller's: the token and capacity stores share its connections, so
 * {@link #close()} stops this store (its listening and notifying threads; later calls fail) and
 * leaves the database open. Whoever opened the database closes it, after its stores.
 */
public final class PostgresJobStore extends EngineJobStore {
    private final PostgresDatabase database;
    private final Enqueues enqueues;
    private final Claims claims;
    private final Stats stats;
    private final Wakeups wakeups;
    private final Notifier notifier;
    private volatile boolean closed;

    private PostgresJobStore(PostgresDatabase database, StoreOptions options) {
        super(database, options);
        this.database = database;
        this.notifier = new Notifier(database);
        this.enqueues = new Enqueues(database, options.clock(), notifier);
        this.claims = new Claims(database, options.clock());
        this.stats = new Stats(database, options.clock());
        this.wakeups = new Wakeups(database);
    }

    /** Brings the job tables of {@code database} up to date (under its migration lock) and opens the store. */
    public static PostgresJobStore open(PostgresDatabase database, StoreOptions options) {
        database.migrate(JobSchema.SCHEMA);
        return new PostgresJobStore(database, options);
    }

    /** The database stays open for the other stores, so this store refuses calls itself. */
    @Override
    protected void requireOpen() {
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

    /** Every host's new jobs, heard by {@link Wakeups}. */
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
    public QueueStats stats() {
        requireOpen();
        return stats.stats();
    }

    /** Stops listening and notifying and refuses later calls; the database stays open (see the class comment). */
    @Override
    public void close() {
        closed = true;
        wakeups.close();
        notifier.close();
    }
}
