package clf.testing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * A fresh place for one test's store on either engine, for the stores beside the job queue
 * (bootstrap tokens, capacity) whose tests run on both: on SQLite a directory for the store's
 * file, on PostgreSQL a new database of {@link PostgresCluster#shared()}, which the test opens
 * as many times as it wants hosts ({@link #url()}, {@link #password()}).
 *
 * <p>Only JDK types here: this class is on the tests' class path, from where the stores'
 * packages (exported to clf.secrets and clf.server only) cannot be seen.
 */
public final class TestDatabase {
    private final Path dir;
    private final String postgresDatabase;

    private TestDatabase(Path dir, String postgresDatabase) {
        this.dir = dir;
        this.postgresDatabase = postgresDatabase;
    }

    /** SQLite files go under {@code dir}; with {@code postgres}, a PostgreSQL database is made at once. */
    public static TestDatabase create(boolean postgres, Path dir) {
        return new TestDatabase(dir, postgres ? PostgresCluster.shared().createDatabase() : null);
    }

    public boolean postgres() {
        return postgresDatabase != null;
    }

    /** The SQLite file {@code name} of this test. */
    public Path sqliteFile(String name) {
        return dir.resolve("state").resolve(name);
    }

    /** The {@code CLF_DATABASE_URL} of this test's PostgreSQL database. */
    public String url() {
        return PostgresCluster.shared().url(postgresDatabase);
    }

    public String password() {
        return PostgresCluster.shared().password();
    }

    /**
     * A plain auto-commit connection past the store, for what its API cannot do (plant a row,
     * count rows); {@code sqliteName} names the file on SQLite. The caller closes it.
     */
    public Connection raw(String sqliteName) throws SQLException {
        if (postgresDatabase == null) {
            return DriverManager.getConnection("jdbc:sqlite:" + sqliteFile(sqliteName));
        }
        PostgresCluster cluster = PostgresCluster.shared();
        Properties login = new Properties();
        login.setProperty("user", PostgresCluster.SUPERUSER);
        login.setProperty("password", cluster.password());
        login.setProperty("sslmode", "disable");
        login.setProperty("socketFactory", "org.newsclub.net.unix.AFUNIXSocketFactory$FactoryArg");
        login.setProperty("socketFactoryArg", cluster.socketDir().resolve(".s.PGSQL." + PostgresCluster.PORT).toString());
        return new org.postgresql.Driver().connect("jdbc:postgresql://localhost:" + PostgresCluster.PORT + "/"
                + postgresDatabase, login);
    }
}
