package clf.queue.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One connection (SQLite or PostgreSQL) with its prepared statements kept for reuse: the hot paths (claim, ack,
 * enqueue) run the same few statements thousands of times a second. Used by one thread at a time.
 */
public final class Session implements AutoCloseable {
    private final Connection connection;
    private final Map<String, PreparedStatement> statements = new HashMap<>();

    public Session(Connection connection) {
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

    /**
     * The first column of the first row of {@code sql} run with {@code parameters}, as a number;
     * empty when there is no row or the value is NULL. For the many "read one number" queries.
     */
    public OptionalLong queryLong(String sql, Object... parameters) throws SQLException {
        PreparedStatement statement = prepare(sql);
        bind(statement, parameters);
        try (ResultSet rows = statement.executeQuery()) {
            if (!rows.next()) {
                return OptionalLong.empty();
            }
            long value = rows.getLong(1);
            return rows.wasNull() ? OptionalLong.empty() : OptionalLong.of(value);
        }
    }

    /** As {@link #queryLong}, for one text value. */
    public Optional<String> queryString(String sql, Object... parameters) throws SQLException {
        PreparedStatement statement = prepare(sql);
        bind(statement, parameters);
        try (ResultSet rows = statement.executeQuery()) {
            return rows.next() ? Optional.ofNullable(rows.getString(1)) : Optional.empty();
        }
    }

    /** Binds {@code parameters} in order: strings as text, whole numbers as integers, null as NULL. */
    public static void bind(PreparedStatement statement, Object... parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            Object value = parameters[i];
            if (value == null) {
                statement.setNull(i + 1, java.sql.Types.NULL);
            } else if (value instanceof String text) {
                statement.setString(i + 1, text);
            } else if (value instanceof Long || value instanceof Integer) {
                statement.setLong(i + 1, ((Number) value).longValue());
            } else {
                throw new IllegalArgumentException("cannot bind a " + value.getClass().getSimpleName());
            }
        }
    }

    /** The connection underneath, for what only it can do (commit, rollback, an engine's own API). */
    public Connection connection() {
        return connection;
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
