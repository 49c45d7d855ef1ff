package clf.queue.internal;

import static clf.queue.JobStatus.RUNNING;

import clf.queue.CancelResult;
import clf.queue.JobEvent;
import clf.queue.JobStatus;
import clf.queue.sql.Session;
import clf.queue.sql.SqlDatabase;
import clf.queue.sql.SqlEngine;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.Set;

/** Cancels: a queued job at once, a running one by asking its worker, who watches for it. */
public record Cancels(SqlDatabase database, Clock clock) {
    /**
     * Running jobs of one process's workers (a range of worker ids) whose cancel was requested:
     * a seek on the partial index {@code jobs_cancel_requested}, which holds only such jobs.
     */
    public static String watchSql(SqlEngine engine) {
        return """
                SELECT job_id FROM jobs%s
                 WHERE %s AND cancel_requested = 1 AND locked_by >= ? AND locked_by < ?
                """.formatted(EngineSql.indexedBy(engine, "jobs_cancel_requested"), StatusSql.is(RUNNING));
    }

    public CancelResult cancel(String jobId) {
        return database.write(session -> {
            PreparedStatement select = session.prepare(
                    "SELECT seq, status, attempt, cancel_requested FROM jobs WHERE job_id = ?"
                            + EngineSql.forUpdate(database.engine()));
            select.setString(1, jobId);
            long seq;
            JobStatus status;
            int attempt;
            boolean requested;
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return new CancelResult(CancelResult.Outcome.NOT_FOUND, null);
                }
                seq = row.getLong(1);
                status = JobStatus.parse("status", row.getString(2));
                attempt = row.getInt(3);
                requested = row.getInt(4) != 0;
            }
            long now = clock.millis();
            switch (status) {
                case QUEUED -> {
                    Transitions.cancelQueued(session, seq, now);
                    EventLog.insert(session, jobId, now, JobEvent.CANCEL, "", attempt);
                    return new CancelResult(CancelResult.Outcome.CANCELED, JobStatus.CANCELED);
                }
                case RUNNING -> {
                    if (!requested) {
                        Transitions.requestCancel(session, seq, now);
                        EventLog.insert(session, jobId, now, JobEvent.CANCEL_REQUESTED, "", attempt);
                    }
                    return new CancelResult(CancelResult.Outcome.CANCEL_REQUESTED, JobStatus.RUNNING);
                }
                default -> {
                    return new CancelResult(CancelResult.Outcome.NOT_CANCELABLE, status);
                }
            }
        });
    }

    /** One index seek, cheap enough to ask every poll interval. */
    public Set<String> cancelRequested(String workerIdPrefix) {
        return database.read(session -> {
            PreparedStatement select = session.prepare(watchSql(database.engine()));
            bindWorkerRange(select, workerIdPrefix);
            Set<String> jobIds = new LinkedHashSet<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    jobIds.add(rows.getString(1));
                }
            }
            return jobIds;
        });
    }

    /** Worker ids are printable ASCII (up to 0x7e), so every id with the prefix sorts below prefix + 0x7f. */
    private static void bindWorkerRange(PreparedStatement select, String workerIdPrefix) throws SQLException {
        Session.bind(select, workerIdPrefix, workerIdPrefix + (char) 0x7f);
    }
}
