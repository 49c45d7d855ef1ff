package clf.queue.internal;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import org.sqlite.core.Codes;
import org.sqlite.core.CoreStatement;
import org.sqlite.core.DB;

/**
 * Runs a prepared SELECT of at most one row on sqlite-jdbc's own statement handle, with no
 * {@link java.sql.ResultSet}: the driver's {@code executeQuery} fetches the name of every column
 * over JNI on each run (its result set forgets them when it closes, and each run closes it), 18
 * JNI string builds for a job row, ~8 % of the daemon's CPU for a show. The calls are the ones the
 * driver's own executeQuery and result set make (bind and step, the column values, reset), under
 * the same lock.
 */
final class SqliteOneRow {
    /** Maps the one row. */
    interface Mapper<T> {
        T map(RowColumns row) throws SQLException;
    }

    private SqliteOneRow() {
    }

    /** Whether {@code statement} is sqlite-jdbc's (otherwise: JDBC's way). */
    static boolean applies(PreparedStatement statement) {
        return statement instanceof CoreStatement;
    }

    /** The row {@code statement} finds with {@code parameters} bound in order, mapped; empty for none. */
    static <T> Optional<T> query(PreparedStatement statement, Object[] parameters, Mapper<T> mapper) throws SQLException {
        CoreStatement core = (CoreStatement) statement;
        DB db = core.getDatabase();
        synchronized (db) {
            try {
                if (!db.execute(core, parameters)) {
                    return Optional.empty();
                }
                return Optional.of(core.pointer.safeRun((database, handle) -> mapper.map(new Columns(database, handle))));
            } finally {
                // Always: a statement left on its row would hold its read transaction (and the WAL) open.
                if (!core.pointer.isClosed()) {
                    core.pointer.safeRunInt(DB::reset);
                }
            }
        }
    }

    /** The current row of the statement {@code handle}; column indexes 0-based underneath, as SQLite counts. */
    private record Columns(DB db, long handle) implements RowColumns {
        @Override
        public String text(int column) throws SQLException {
            // As the result set's getBytes: the UTF-8 bytes in one array, null for NULL.
            byte[] utf8 = db.column_blob(handle, column - 1);
            return utf8 == null ? null : new String(utf8, StandardCharsets.UTF_8);
        }

        @Override
        public long integer(int column) throws SQLException {
            return db.column_long(handle, column - 1);
        }

        @Override
        public Instant instantOrNull(int column) throws SQLException {
            if (db.column_type(handle, column - 1) == Codes.SQLITE_NULL) {
                return null;
            }
            return Instant.ofEpochMilli(db.column_long(handle, column - 1));
        }
    }
}
