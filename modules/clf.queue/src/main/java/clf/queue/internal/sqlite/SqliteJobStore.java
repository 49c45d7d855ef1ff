package clf.queue.internal.sqlite;

import clf.queue.EnqueueResult;
import clf.queue.EnqueueRules;
import clf.queue.Job;
import clf.queue.LeaseStatus;
import clf.queue.NewJob;
import clf.queue.QueueStats;
import clf.queue.StoreOptions;
import clf.queue.internal.EngineJobStore;
import clf.queue.internal.EnqueueListeners;
import clf.queue.sqlite.Database;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The job store on one SQLite file (WAL): one host's queue, shared by the processes that open
 * the file. Each part of the contract is a class of its own (the engine-neutral ones shared with
 * PostgreSQL through {@link EngineJobStore}); this one only hands calls on.
 */
public final class SqliteJobStore extends EngineJobStore {
    private final Database database;
    private final Enqueues enqueues;
    private final Claims claims;
    private final Stats stats;
    private final EnqueueListeners listeners = new EnqueueListeners();

    private SqliteJobStore(Database database, StoreOptions options) {
        super(database, options);
        this.database = database;
        this.enqueues = new Enqueues(database, options.clock(), listeners);
        this.claims = new Claims(database, options.clock());
        this.stats = new Stats(database, options.clock());
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

    /** SQLite's {@code data_version}: any commit to the file, by this process or another, changes it. */
    @Override
    public OptionalLong changeStamp() {
        return OptionalLong.of(database.dataVersion());
    }

    @Override
    public LeaseStatus extendLease(String jobId, String workerId, Duration lease) {
        return claims.extendLease(jobId, workerId, lease);
    }

    @Override
    public QueueStats stats() {
        return stats.stats();
    }

    @Override
    public void close() {
        database.close();
    }
}
