package clf.queue;

import clf.queue.internal.CheckedJobStore;
import clf.queue.internal.postgres.PostgresJobStore;
import clf.queue.internal.sqlite.SqliteJobStore;
import clf.queue.postgres.PostgresDatabase;
import java.nio.file.Path;

/** Opens a {@link JobStore}; callers never name an engine's classes. */
public final class JobStores {
    private JobStores() {
    }

    /** Opens the SQLite store at {@code databaseFile} with {@link StoreOptions#defaults()}. */
    public static JobStore openSqlite(Path databaseFile) {
        return openSqlite(databaseFile, StoreOptions.defaults());
    }

    /**
     * Opens (creating if needed) the SQLite store at {@code databaseFile}: one host's queue. The
     * directory becomes 0700 and the database files 0600; the schema is brought up to date in a
     * transaction.
     *
     * @throws StoreException if the file cannot be secured or opened, or is from a newer clf
     */
    public static JobStore openSqlite(Path databaseFile, StoreOptions options) {
        return new CheckedJobStore(SqliteJobStore.open(databaseFile, options));
    }

    /**
     * Opens the job store in a fleet's shared PostgreSQL: brings its tables up to date (under the
     * database's migration lock, so hosts starting together do not race) and returns the store.
     * The database stays the caller's: it is shared with the token and capacity stores, so
     * closing the job store leaves it open; close the database after every store on it. Its lock
     * timeout (given to {@link PostgresDatabase#open}) plays the part of {@code options}'
     * busy timeout, which this engine does not read.
     *
     * @throws StoreException if the database cannot be reached or holds a newer schema
     */
    public static JobStore openPostgres(PostgresDatabase database, StoreOptions options) {
        return new CheckedJobStore(PostgresJobStore.open(database, options));
    }
}
