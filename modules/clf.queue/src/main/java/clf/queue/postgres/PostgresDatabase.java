package clf.queue.postgres;

import clf.queue.StoreException;
import clf.queue.StoreException.Reason;
import clf.queue.sql.Schema;
import clf.queue.sql.Session;
import clf.queue.sql.SqlDatabase;
import clf.queue.sql.SqlEngine;
import clf.queue.sql.SqlWork;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.postgresql.Driver;

/**
 * The shared PostgreSQL database of a fleet of orchestrators: a small pool of connections, each a
 * {@link Session} in manual-commit mode. Every store of the daemon (jobs, tokens, capacity) works
 * through one instance, so a host holds at most {@code connections} server connections.
 *
 * <p>Reads and {@link #writeAutoCommit} run without a transaction around them: each statement
 * commits itself, which spares the round trips of BEGIN and COMMIT (at READ COMMITTED every
 * statement takes a snapshot of its own either way). Several statements sent in one call (one
 * Sync) still run as one implicit transaction.
 *
 * <p>Transactions run at READ COMMITTED; a store that needs more says so in its SQL (row locks,
 * {@code SKIP LOCKED}, advisory locks). A transaction the server aborts for a serialization
 * failure or a deadlock is run again from the start, a few times, as PostgreSQL advises. A
 * connection that broke (server restart, network) is dropped and a new one opened on the next
 * call, so the daemon rides out a database restart with only the calls in flight failing.
 */
public final class PostgresDatabase implements SqlDatabase {
    private static final int ATTEMPTS = 5;
    /** Key of the advisory lock that lets one process at a time migrate; "clf" in ASCII. */
    private static final long MIGRATION_LOCK = 0x636c66L;

    private final PostgresAddress address;
    private final String password;
    private final Duration lockTimeout;
    private final Semaphore permits;
    private final BlockingQueue<Session> idle = new LinkedBlockingQueue<>();
    private final List<Session> all = new ArrayList<>();
    private volatile boolean closed;

    private PostgresDatabase(PostgresAddress address, String password, int connections, Duration lockTimeout) {
        this.address = address;
        this.password = password;
        this.lockTimeout = lockTimeout;
        this.permits = new Semaphore(connections, true);
    }

    /**
     * Connects (one connection, to fail fast with a clear reason) and returns the pool.
     *
     * @param password    null for peer or trust authentication
     * @param connections most connections this process holds
     * @param lockTimeout how long a statement waits for a row or table lock, as SQLite's busy timeout
     * @throws StoreException if the server cannot be reached or refuses the login
     */
    public static PostgresDatabase open(PostgresAddress address, String password, int connections, Duration lockTimeout) {
        if (connections < 1) {
            throw new IllegalArgumentException("connections must be at least 1, got " + connections);
        }
        PostgresDatabase database = new PostgresDatabase(address, password, connections, lockTimeout);
        database.read(session -> session.queryLong("SELECT 1"));
        return database;
    }

    @Override
    public SqlEngine engine() {
        return SqlEngine.POSTGRESQL;
    }

    @Override
    public String location() {
        return address.display();
    }

    public PostgresAddress address() {
        return address;
    }

    /**
     * A new connection outside the pool, in auto-commit mode, for work that holds a connection for
     * long (LISTEN). The caller closes it.
     */
    public Connection openDedicated() {
        try {
            Connection connection = connect();
            connection.setAutoCommit(true);
            return connection;
        } catch (SQLException e) {
            throw translate("connect to " + address.display(), e);
        }
    }

    @Override
    public void migrate(Schema schema) {
        write(session -> {
            // Two hosts starting at once: the second waits here, then finds the work done.
            session.queryString("SELECT pg_advisory_xact_lock(?)", MIGRATION_LOCK);
            session.execute("CREATE TABLE IF NOT EXISTS clf_schema_versions (name TEXT PRIMARY KEY, version INTEGER NOT NULL)");
            int version = (int) session.queryLong("SELECT version FROM clf_schema_versions WHERE name = ?", schema.name())
                    .orElse(0);
            if (version > schema.latest()) {
                throw new StoreException("the database " + address.display() + " was written by a newer clf ("
                        + schema.name() + " schema version " + version + "; this clf knows up to " + schema.latest()
                        + "); upgrade clf or point it at another database");
            }
            for (int step = version; step < schema.latest(); step++) {
                // One call per step: PostgreSQL runs a multi-statement script (functions with $$
                // bodies included) as it is, inside this transaction.
                session.execute(schema.steps().get(step));
            }
            if (version != schema.latest()) {
                var upsert = session.prepare("""
                        INSERT INTO clf_schema_versions (name, version) VALUES (?, ?)
                        ON CONFLICT (name) DO UPDATE SET version = excluded.version""");
                Session.bind(upsert, schema.name(), schema.latest());
                upsert.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public <T> T write(SqlWork<T> work) {
        return transaction("write to", work, Mode.TRANSACTION);
    }

    @Override
    public <T> T writeAutoCommit(SqlWork<T> work) {
        return transaction("write to", work, Mode.AUTO_COMMIT);
    }

    @Override
    public <T> T read(SqlWork<T> work) {
        return transaction("read from", work, Mode.AUTO_COMMIT);
    }

    @Override
    public <T> T readSnapshot(SqlWork<T> work) {
        return transaction("read from", work, Mode.SNAPSHOT);
    }

    private enum Mode {
        TRANSACTION, SNAPSHOT, AUTO_COMMIT
    }

    private <T> T transaction(String what, SqlWork<T> work, Mode mode) {
        for (int attempt = 1; ; attempt++) {
            Session session = borrow();
            boolean healthy = true;
            try {
                if (mode == Mode.AUTO_COMMIT) {
                    // No BEGIN and no COMMIT on the wire: the driver only stops wrapping statements.
                    session.connection().setAutoCommit(true);
                } else if (mode == Mode.SNAPSHOT) {
                    session.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
                }
                T result = work.run(session);
                if (mode != Mode.AUTO_COMMIT) {
                    session.connection().commit();
                }
                return result;
            } catch (SQLException e) {
                healthy = endFailed(session, mode, e);
                if (retryable(e) && attempt < ATTEMPTS) {
                    continue;
                }
                throw translate(what + " " + address.display(), e);
            } catch (RuntimeException e) {
                healthy = endFailed(session, mode, e);
                throw e;
            } finally {
                giveBack(session, healthy && manualCommit(session));
            }
        }
    }

    /**
     * Rolls back what a failed call left open (an auto-commit statement that failed left nothing:
     * the server ended its implicit transaction); false if the connection is broken and must not
     * go back to the pool.
     */
    private static boolean endFailed(Session session, Mode mode, Exception cause) {
        try {
            if (mode != Mode.AUTO_COMMIT) {
                session.connection().rollback();
            }
            return true;
        } catch (SQLException rollbackFailure) {
            cause.addSuppressed(rollbackFailure);
            return false;
        }
    }

    /** Back to manual commit, as every pooled session waits; false if the connection is broken. */
    private static boolean manualCommit(Session session) {
        try {
            session.connection().setAutoCommit(false);
            return true;
        } catch (SQLException broken) {
            return false;
        }
    }

    private static boolean retryable(SQLException e) {
        String state = e.getSQLState();
        return "40001".equals(state) || "40P01".equals(state);
    }

    private Session borrow() {
        requireOpen();
        try {
            if (!permits.tryAcquire(lockTimeout.toMillis() + 30_000, TimeUnit.MILLISECONDS)) {
                throw new StoreException(Reason.LOCKED, "no connection to " + address.display()
                        + " came free in time: every connection of this process is busy", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for a connection to " + address.display(), e);
        }
        Session session = idle.poll();
        if (session != null) {
            return session;
        }
        try {
            Session created = new Session(connect());
            synchronized (all) {
                all.add(created);
            }
            return created;
        } catch (SQLException e) {
            permits.release();
            throw translate("connect to " + address.display(), e);
        } catch (RuntimeException e) {
            permits.release();
            throw e;
        }
    }

    private void giveBack(Session session, boolean healthy) {
        try {
            if (healthy && !closed) {
                idle.add(session);
            } else {
                synchronized (all) {
                    all.remove(session);
                }
                closeQuietly(session);
            }
        } finally {
            permits.release();
        }
    }

    private Connection connect() throws SQLException {
        // The driver is asked directly, not through DriverManager's scan of every driver on the
        // module path: one connection factory, no surprises from another jar.
        Connection connection = new Driver().connect(address.jdbcUrl(), address.jdbcProperties(password));
        if (connection == null) {
            throw new SQLException("the PostgreSQL driver did not accept " + address.display(), "08001");
        }
        try (var statement = connection.createStatement()) {
            // A lock wait as long as SQLite's busy timeout; a transaction left open by a hung
            // process is ended by the server, so its row locks cannot stall the fleet.
            statement.execute("SET lock_timeout = " + lockTimeout.toMillis());
            statement.execute("SET idle_in_transaction_session_timeout = 60000");
            statement.execute("SET TIME ZONE 'UTC'");
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        connection.setAutoCommit(false);
        return connection;
    }

    private void requireOpen() {
        if (closed) {
            throw new StoreException("the database " + address.display() + " is closed");
        }
    }

    /**
     * Turns PostgreSQL's SQLSTATE codes into messages an operator can act on, each with the
     * {@link Reason} callers decide by. Never includes the password: the driver's messages name
     * the user and host at most.
     */
    public static StoreException translate(String what, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        Reason reason;
        String text;
        if (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")) {
            reason = Reason.UNAVAILABLE;
            text = "the PostgreSQL server cannot be reached (" + e.getMessage() + ")";
        } else if (state.startsWith("28")) {
            reason = Reason.UNAVAILABLE;
            text = "PostgreSQL refused the login (" + e.getMessage() + ")";
        } else if (state.equals("3D000")) {
            reason = Reason.UNAVAILABLE;
            text = "the database does not exist (" + e.getMessage() + ")";
        } else if (state.equals("53100")) {
            reason = Reason.DISK_FULL;
            text = "the database server's disk is full";
        } else if (state.equals("25006")) {
            reason = Reason.READ_ONLY;
            text = "the server is read-only (a standby?)";
        } else if (state.equals("55P03") || state.equals("40001") || state.equals("40P01") || state.equals("57014")) {
            reason = Reason.LOCKED;
            text = "another transaction held a lock for longer than the lock timeout (" + e.getMessage() + ")";
        } else if (state.equals("XX001") || state.equals("XX002")) {
            reason = Reason.CORRUPT;
            text = "the database reports corrupt data (" + e.getMessage() + ")";
        } else {
            reason = Reason.OTHER;
            text = e.getMessage();
        }
        return new StoreException(reason, "failed to " + what + ": " + text, e);
    }

    @Override
    public void close() {
        closed = true;
        synchronized (all) {
            for (Session session : all) {
                closeQuietly(session);
            }
            all.clear();
        }
        idle.clear();
    }

    private static void closeQuietly(Session session) {
        try {
            session.close();
        } catch (SQLException e) {
            // A connection that fails to close is gone either way.
        }
    }
}
