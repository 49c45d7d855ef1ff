package clf.queue.sqlite;

import clf.queue.StoreException;
import clf.queue.StoreException.Reason;
import clf.queue.sql.Schema;
import clf.queue.sql.Session;
import clf.queue.sql.SqlDatabase;
import clf.queue.sql.SqlEngine;
import clf.queue.sql.SqlWork;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.locks.ReentrantLock;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * A private SQLite file in WAL mode behind a store: one writer connection and a few reader
 * connections. Shared by the stores of clf (jobs, bootstrap tokens) so each gets the same
 * permissions, pragmas, transactions and error messages.
 *
 * <p>SQLite lets one writer in at a time anyway, so this process funnels writes through a single
 * connection under a lock, and every write transaction starts with {@code BEGIN IMMEDIATE}: it
 * takes the file's write lock up front, so two processes never both read, then both try to
 * upgrade and deadlock. The busy timeout makes the second process wait instead of failing.
 * Readers never block in WAL mode and get their own connections.
 */
public final class Database implements SqlDatabase {
    private static final int READERS = 4;
    /**
     * A reader's page cache, smaller than the writer's 4 MiB: a read's hot pages (an index's
     * upper levels, a page of rows) fit, and a scan larger than the cache gains nothing from it
     * (the LRU evicts each page before it is read again). At 4 MiB, four workers' claim looks
     * scanning a 200k-job store's future jobs at start filled 16 MiB of the daemon's memory.
     */
    private static final int READER_CACHE_KIB = 2048;

    private final Path file;
    private final String purpose;
    private final String url;
    private final SQLiteConfig config;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Session writer;
    /**
     * Idle readers, the one returned last first: a lone client keeps reading through one
     * connection with a warm page cache, and the others stay small until concurrent reads need
     * them. Taken in turn (a queue), every reader had cached the same hot pages of a 200k-job
     * store, ~4 MiB each.
     */
    private final BlockingDeque<Session> idleReaders = new LinkedBlockingDeque<>(READERS);
    private final List<Session> allReaders = new ArrayList<>();
    private volatile boolean closed;
    /** A connection of its own for {@link #dataVersion}, opened on first use; guarded by watchLock. */
    private final Object watchLock = new Object();
    private Session watcher;

    private Database(Path file, String purpose, Duration busyTimeout) throws SQLException {
        this.file = file;
        this.purpose = purpose;
        this.url = "jdbc:sqlite:" + file;
        this.config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.enforceForeignKeys(true);
        config.setBusyTimeout((int) busyTimeout.toMillis());
        // 4 MiB of page cache for the writer (readers: READER_CACHE_KIB): the hot index pages fit,
        // and the rest of a 200k-job store is one pread from the OS's page cache away. At 32 MiB
        // the five connections held ~80 MiB of the daemon's resident memory after a few lists.
        config.setCacheSize(-4 * 1024);
        config.setTempStore(SQLiteConfig.TempStore.MEMORY);
        this.writer = new Session(config.createConnection(url));
        // Checkpoint every ~40 MB of WAL instead of 4 MB: each checkpoint fsyncs the database,
        // and the hot pages (index leaves, the newest table pages) are copied once per checkpoint
        // however often they changed, so rarer checkpoints write far less.
        writer.execute("PRAGMA wal_autocheckpoint = 10000");
    }

    private static Object identity(Path file) {
        try {
            return TrustedPaths.identity(file);
        } catch (java.io.IOException e) {
            throw PrivateFiles.failure("failed to check database file " + file, e);
        }
    }

    /** Opens (creating if needed) the database with private permissions, WAL and the current schema. */
    public static Database open(Path file, Duration busyTimeout, Schema schema) {
        Path absolute = file.toAbsolutePath().normalize();
        Path dir = absolute.getParent();
        PrivateFiles.secureDirectory(dir);
        PrivateFiles.secureFile(absolute, true);
        // Before SQLite opens them: a planted WAL would be replayed into the database.
        PrivateFiles.secureFile(Path.of(absolute + "-wal"), false);
        PrivateFiles.secureFile(Path.of(absolute + "-shm"), false);
        Object checked = identity(absolute);
        Database database;
        try {
            database = new Database(absolute, schema.name(), busyTimeout);
        } catch (SQLException e) {
            throw translate("open " + absolute, e);
        }
        try {
            // SQLite opens the path itself: make sure it opened the very file just checked.
            if (!checked.equals(identity(absolute))) {
                throw new StoreException("database file was replaced while it was opened (refusing): " + absolute);
            }
            PrivateFiles.secureFile(Path.of(absolute + "-wal"), false);
            PrivateFiles.secureFile(Path.of(absolute + "-shm"), false);
            database.migrate(schema);
            return database;
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    @Override
    public SqlEngine engine() {
        return SqlEngine.SQLITE;
    }

    @Override
    public String location() {
        return file.toString();
    }

    @Override
    public void migrate(Schema schema) {
        write(session -> Migrations.migrate(session, schema, file));
    }

    /** Runs {@code work} in one write transaction; rolls back if it throws. */
    @Override
    public <T> T write(SqlWork<T> work) {
        writeLock.lock();
        try {
            requireOpen();
            writer.prepare("BEGIN IMMEDIATE").execute();
            try {
                T result = work.run(writer);
                writer.prepare("COMMIT").execute();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(e);
                throw e;
            }
        } catch (SQLException e) {
            throw translate("write to " + file, e);
        } finally {
            writeLock.unlock();
        }
    }

    /** Runs read-only {@code work} on a reader connection. */
    @Override
    public <T> T read(SqlWork<T> work) {
        Session reader = borrowReader();
        try {
            return work.run(reader);
        } catch (SQLException e) {
            throw translate("read from " + file, e);
        } finally {
            idleReaders.addFirst(reader);
        }
    }

    /**
     * Runs read-only {@code work} in one read transaction, so that all its queries see the same
     * snapshot of the file (WAL keeps it stable while writers go on). The transaction is always
     * rolled back: there is nothing to commit, and a reader must go back to the pool without one.
     */
    @Override
    public <T> T readSnapshot(SqlWork<T> work) {
        return read(session -> {
            session.execute("BEGIN");
            try {
                return work.run(session);
            } finally {
                try {
                    session.execute("ROLLBACK");
                } catch (SQLException e) {
                    // SQLite ended the transaction itself after an error; the first error is thrown
                }
            }
        });
    }

    /**
     * SQLite's {@code PRAGMA data_version} on a connection that never writes: it changes whenever
     * any other connection, of this process (the writer) or of another process, commits to the
     * file. Answered from the WAL index in shared memory: no table or page is read.
     */
    public long dataVersion() {
        synchronized (watchLock) {
            requireOpen();
            try {
                if (watcher == null) {
                    watcher = new Session(config.createConnection(url));
                    watcher.execute("PRAGMA query_only = 1");
                }
                return watcher.queryLong("PRAGMA data_version").orElseThrow();
            } catch (SQLException e) {
                throw translate("read the change counter of " + file, e);
            }
        }
    }

    private Session borrowReader() {
        requireOpen(); // the idle readers of a closed database are closed connections
        Session reader = idleReaders.pollFirst();
        if (reader != null) {
            return reader;
        }
        synchronized (allReaders) {
            requireOpen();
            if (allReaders.size() < READERS) {
                try {
                    Session created = new Session(config.createConnection(url));
                    created.execute("PRAGMA query_only = 1");
                    created.execute("PRAGMA cache_size = -" + READER_CACHE_KIB);
                    allReaders.add(created);
                    return created;
                } catch (SQLException e) {
                    throw translate("open reader on " + file, e);
                }
            }
        }
        try {
            return idleReaders.takeFirst();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for a connection to the " + purpose + " database "
                    + file, e);
        }
    }

    private void rollbackQuietly(Exception cause) {
        try {
            writer.execute("ROLLBACK");
        } catch (SQLException rollbackFailure) {
            // SQLite may already have rolled back (e.g. after SQLITE_FULL); keep the first error.
            cause.addSuppressed(rollbackFailure);
        }
    }

    private void requireOpen() {
        if (closed) {
            // Named by what the file holds: a daemon has several (jobs, tokens, capacity).
            throw new StoreException(purpose + " database is closed: " + file);
        }
    }

    /**
     * Turns SQLite's error codes into messages an operator can act on, each with the
     * {@link StoreException.Reason} callers decide by.
     */
    public static StoreException translate(String what, SQLException e) {
        SQLiteErrorCode code = e instanceof SQLiteException sqlite ? sqlite.getResultCode() : null;
        Diagnosis diagnosis = code == null ? new Diagnosis(Reason.OTHER, e.getMessage()) : switch (code) {
            case SQLITE_BUSY, SQLITE_BUSY_SNAPSHOT, SQLITE_BUSY_RECOVERY, SQLITE_LOCKED -> new Diagnosis(Reason.LOCKED,
                    "the database is locked by another process for longer than the busy timeout");
            case SQLITE_FULL -> new Diagnosis(Reason.DISK_FULL, "the disk is full");
            case SQLITE_NOTADB -> new Diagnosis(Reason.CORRUPT, "the file is not a SQLite database");
            case SQLITE_CORRUPT, SQLITE_CORRUPT_INDEX, SQLITE_CORRUPT_SEQUENCE, SQLITE_CORRUPT_VTAB ->
                    new Diagnosis(Reason.CORRUPT, "the database file is corrupt");
            case SQLITE_READONLY, SQLITE_READONLY_DBMOVED, SQLITE_READONLY_RECOVERY, SQLITE_READONLY_CANTLOCK,
                    SQLITE_READONLY_ROLLBACK, SQLITE_CANTOPEN -> new Diagnosis(Reason.READ_ONLY,
                    "the database file cannot be written (permissions or read-only filesystem)");
            default -> new Diagnosis(Reason.OTHER, e.getMessage());
        };
        return new StoreException(diagnosis.reason(), "failed to " + what + ": " + diagnosis.text(), e);
    }

    private record Diagnosis(Reason reason, String text) {
    }

    @Override
    public void close() {
        writeLock.lock();
        try {
            synchronized (allReaders) {
                if (closed) {
                    return;
                }
                closed = true;
                for (Session reader : allReaders) {
                    closeQuietly(reader);
                }
                allReaders.clear();
            }
            closeQuietly(writer);
            synchronized (watchLock) {
                if (watcher != null) {
                    closeQuietly(watcher);
                    watcher = null;
                }
            }
        } finally {
            writeLock.unlock();
        }
    }

    private static void closeQuietly(Session session) {
        try {
            session.close();
        } catch (SQLException e) {
            // Closing can only fail on a connection that is already unusable.
        }
    }
}
