package clf.queue.internal;

import clf.queue.Job;
import clf.queue.JobStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/** Maps {@code jobs} rows to {@link Job}s. Every query that returns jobs selects {@link #COLUMNS}. */
public final class JobRows {
    public static final String COLUMNS = "seq, job_id, kind, requester, payload_json, idempotency_key, status, priority,"
            + " run_at, created_at, updated_at, attempt, max_attempts, locked_by, lease_until, last_error,"
            + " result_json, cancel_requested";

    private JobRows() {
    }

    public static Job job(ResultSet row) throws SQLException {
        return new Job(
                row.getString("job_id"),
                row.getString("kind"),
                row.getString("requester"),
                row.getString("payload_json"),
                row.getString("idempotency_key"),
                JobStatus.parse("status", row.getString("status")),
                row.getInt("priority"),
                Instant.ofEpochMilli(row.getLong("run_at")),
                Instant.ofEpochMilli(row.getLong("created_at")),
                Instant.ofEpochMilli(row.getLong("updated_at")),
                row.getInt("attempt"),
                row.getInt("max_attempts"),
                row.getString("locked_by"),
                instantOrNull(row, "lease_until"),
                row.getString("last_error"),
                row.getString("result_json"),
                row.getInt("cancel_requested") != 0);
    }

    public static long seq(ResultSet row) throws SQLException {
        return row.getLong("seq");
    }

    private static Instant instantOrNull(ResultSet row, String column) throws SQLException {
        long millis = row.getLong(column);
        return row.wasNull() ? null : Instant.ofEpochMilli(millis);
    }
}
