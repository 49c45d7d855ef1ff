package clf.queue;

import clf.queue.internal.CheckedJobStore;
import clf.queue.internal.sqlite.SqliteJobStore;
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
}
