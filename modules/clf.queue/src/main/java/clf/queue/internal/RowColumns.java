package clf.queue.internal;

import java.sql.SQLException;
import java.time.Instant;

/**
 * A row read by column position (1-based, as JDBC counts): a JDBC {@link java.sql.ResultSet}'s,
 * or one that {@link SqliteOneRow} reads off sqlite-jdbc's statement without a result set.
 */
interface RowColumns {
    /** The column's text, or null for NULL. */
    String text(int column) throws SQLException;

    /** The column as a whole number, 0 for NULL. */
    long integer(int column) throws SQLException;

    /** The column as epoch milliseconds, or null for NULL: one read of the value either way. */
    Instant instantOrNull(int column) throws SQLException;
}
