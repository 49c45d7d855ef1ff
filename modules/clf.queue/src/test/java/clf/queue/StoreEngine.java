package clf.queue;

import clf.queue.postgres.PostgresAddress;
import clf.queue.postgres.PostgresDatabase;
import clf.testing.PostgresCluster;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Properties;

/**
 * The engines the store contract tests ({@link StoreFixture}'s subclasses) run against. A new
 * engine (PostgreSQL) is one more constant here: every contract test then runs on it too.
 */
public enum StoreEngine {
    SQLITE {
        @Override
        public JobStore open(Path dir, StoreOptions options) {
            return JobStores.openSqlite(sqliteFile(dir), options);
        }

        @Override
        public void execute(Path dir, String sql) throws Exception {
            try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + sqliteFile(dir));
                 Statement statement = connection.createStatement()) {
                statement.execute(sql);
            }
        }

        @Override
        public long queryLong(Path dir, String sql) throws Exception {
            try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + sqliteFile(dir));
                 Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery(sql)) {
                rows.next();
                return rows.getLong(1);
            }
        }
    },
    /**
     * A database of its own in the test JVM's PostgreSQL ({@link PostgresCluster#shared()}),
     * named in a file in {@code dir}: a reopen, or a child JVM given {@code dir}, finds the same
     * database (the child connects to the parent's server, it starts none).
     */
    POSTGRESQL {
        @Override
        public JobStore open(Path dir, StoreOptions options) {
            PostgresDatabase database = database(dir, 8, options.busyTimeout());
            try {
                return closingDatabase(JobStores.openPostgres(database, options), database);
            } catch (RuntimeException e) {
                database.close();
                throw e;
            }
        }

        @Override
        public void execute(Path dir, String sql) {
            try (PostgresDatabase database = database(dir, 1, java.time.Duration.ofSeconds(10))) {
                database.write(session -> {
                    session.execute(sql);
                    return null;
                });
            }
        }

        @Override
        public long queryLong(Path dir, String sql) {
            try (PostgresDatabase database = database(dir, 1, java.time.Duration.ofSeconds(10))) {
                return database.read(session -> session.queryLong(sql).orElseThrow());
            }
        }
    };

    private static final String POSTGRES_FILE = "postgres-store.properties";

    /** Opens {@code dir}'s PostgreSQL database, creating it in the shared cluster the first time. */
    public static PostgresDatabase database(Path dir, int connections, java.time.Duration lockTimeout) {
        Path file = dir.resolve(POSTGRES_FILE);
        Properties where = new Properties();
        try {
            if (!Files.exists(file)) {
                PostgresCluster cluster = PostgresCluster.shared();
                where.setProperty("url", cluster.url(cluster.createDatabase()));
                where.setProperty("passwordFile", cluster.passwordFile().toString());
                try (Writer out = Files.newBufferedWriter(file)) {
                    where.store(out, "the PostgreSQL database of this test's store");
                }
            }
            try (Reader in = Files.newBufferedReader(file)) {
                where.load(in);
            }
            String password = Files.readString(Path.of(where.getProperty("passwordFile"))).strip();
            return PostgresDatabase.open(PostgresAddress.parse("CLF_DATABASE_URL", where.getProperty("url")), password,
                    connections, lockTimeout);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code store}, whose {@code close()} also closes the database it alone uses (a daemon's is shared). */
    static JobStore closingDatabase(JobStore store, PostgresDatabase database) {
        return (JobStore) Proxy.newProxyInstance(JobStore.class.getClassLoader(), new Class<?>[] {JobStore.class},
                (proxy, method, args) -> {
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    } finally {
                        if (method.getName().equals("close") && method.getParameterCount() == 0) {
                            database.close();
                        }
                    }
                });
    }

    /** Where the SQLite engine keeps {@code dir}'s store. */
    public static Path sqliteFile(Path dir) {
        return dir.resolve("state").resolve("state.sqlite");
    }

    /** Opens the store that belongs to {@code dir}: empty the first time, the same store again after. */
    public abstract JobStore open(Path dir, StoreOptions options);

    /**
     * Runs one SQL statement on {@code dir}'s store, past the contract: for a test to set up what
     * the API cannot make (ids that share a prefix). Plain SQL that every engine understands.
     */
    public abstract void execute(Path dir, String sql) throws Exception;

    /** The one number {@code sql} selects on {@code dir}'s store, past the contract: for a test's tally of rows. */
    public abstract long queryLong(Path dir, String sql) throws Exception;
}
