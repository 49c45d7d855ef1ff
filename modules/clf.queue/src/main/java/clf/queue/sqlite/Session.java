package clf.queue.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * One SQLite connection with its prepared statements kept for reuse: the hot paths (claim, ack,
 * enqueue) run the same few statements thousands of times a second. Used by one thread at a time.
 */
public final class Session implements AutoCloseable {
    private final Connection connection;
    private final Map<String, PreparedStatement> statements = new HashMap<>();

    Session(Connection connection) {
        this.connection = connection;
    }

    /** A prepared statement for {@code sql}, parameters cleared. */
    public PreparedStatement prepare(String sql) throws SQLException {
        PreparedStatement cached = statements.get(sql);
        if (cached != null) {
            try {
                cached.clearParameters();
                return cached;
            } catch (SQLException finalized) {
                // The driver finalizes a statement whose step failed with an error such as
                // SQLITE_FULL (and still calls it open). Kept, it would fail every later call
                // ("statement is not executing") long after the disk has room again.
                statements.remove(sql);
                cached.close();
            }
        }
        PreparedStatement statement = connection.prepareStatement(sql);
        statements.put(sql, statement);
        return statement;
    }

    /** Runs a statement that returns no rows and is not worth keeping prepared. */
    public void execute(String sql) throws SQLException {
        try (var statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    @Override
    public void close() throws SQLException {
        for (PreparedStatement statement : statements.values()) {
            statement.close();
        }
        statements.clear();
        connection.close();
    }
}
