package clf.queue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

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
    };

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
}
