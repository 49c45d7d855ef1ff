package clf.queue.internal;

import clf.queue.Job;
import clf.queue.JobStatus;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import org.sqlite.jdbc3.JDBC3ResultSet;

/**
 * Maps {@code jobs} rows to {@link Job}s. Every query that returns jobs selects {@link #COLUMNS}
 * first, and the row is read by position in that order: reading by name made sqlite-jdbc fetch
 * every column's name over JNI and search them, per row.
 */
public final class JobRows {
    public static final String COLUMNS = "seq, job_id, kind, requester, payload_json, idempotency_key, status, priority,"
            + " run_at, created_at, updated_at, attempt, max_attempts, locked_by, lease_until, last_error,"
            + " result_json, cancel_requested";
    private static final int SEQ = 1;
    private static final int JOB_ID = 2;
    private static final int KIND = 3;
    private static final int REQUESTER = 4;
    private static final int PAYLOAD_JSON = 5;
    private static final int IDEMPOTENCY_KEY = 6;
    private static final int STATUS = 7;
    private static final int PRIORITY = 8;
    private static final int RUN_AT = 9;
    private static final int CREATED_AT = 10;
    private static final int UPDATED_AT = 11;
    private static final int ATTEMPT = 12;
    private static final int MAX_ATTEMPTS = 13;
    private static final int LOCKED_BY = 14;
    private static final int LEASE_UNTIL = 15;
    private static final int LAST_ERROR = 16;
    private static final int RESULT_JSON = 17;
    private static final int CANCEL_REQUESTED = 18;

    private JobRows() {
    }

    public static Job job(ResultSet row) throws SQLException {
        return job(new ResultSetColumns(row, row instanceof JDBC3ResultSet));
    }

    /** A job from a row of {@link #COLUMNS} however it is read. */
    static Job job(RowColumns row) throws SQLException {
        return new Job(
                row.text(JOB_ID),
                row.text(KIND),
                row.text(REQUESTER),
                row.text(PAYLOAD_JSON),
                row.text(IDEMPOTENCY_KEY),
                JobStatus.parse("status", row.text(STATUS)),
                (int) row.integer(PRIORITY),
                Instant.ofEpochMilli(row.integer(RUN_AT)),
                Instant.ofEpochMilli(row.integer(CREATED_AT)),
                Instant.ofEpochMilli(row.integer(UPDATED_AT)),
                (int) row.integer(ATTEMPT),
                (int) row.integer(MAX_ATTEMPTS),
                row.text(LOCKED_BY),
                row.instantOrNull(LEASE_UNTIL),
                row.text(LAST_ERROR),
                row.text(RESULT_JSON),
                row.integer(CANCEL_REQUESTED) != 0);
    }

    public static long seq(ResultSet row) throws SQLException {
        return row.getLong(SEQ);
    }

    /** A JDBC result set's current row. */
    private record ResultSetColumns(ResultSet row, boolean sqlite) implements RowColumns {
        /**
         * sqlite-jdbc's getString has JNI build a direct ByteBuffer object around the value and
         * then copies it out; getBytes hands over the same UTF-8 bytes as one array (null for
         * NULL), a third of the cost on a list of 50. Other drivers use getString.
         */
        @Override
        public String text(int column) throws SQLException {
            if (!sqlite) {
                return row.getString(column);
            }
            byte[] utf8 = row.getBytes(column);
            return utf8 == null ? null : new String(utf8, StandardCharsets.UTF_8);
        }

        @Override
        public long integer(int column) throws SQLException {
            return row.getLong(column);
        }

        @Override
        public Instant instantOrNull(int column) throws SQLException {
            long millis = row.getLong(column);
            return row.wasNull() ? null : Instant.ofEpochMilli(millis);
        }
    }
}
