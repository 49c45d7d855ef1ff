package clf.queue.internal;

import clf.queue.JobEvent;
import clf.queue.sql.Session;
import clf.queue.sql.SqlDatabase;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/** A job's history: the event every transition writes in its own transaction, and handlers' own events. */
public record EventLog(SqlDatabase database, Clock clock) {
    /** Adds one event inside the caller's transaction. */
    public static void insert(Session session, String jobId, long at, String type, String message, int attempt)
            throws SQLException {
        PreparedStatement insert = session.prepare(
                "INSERT INTO job_events (job_id, at, type, message, attempt) VALUES (?, ?, ?, ?, ?)");
        Session.bind(insert, jobId, at, type, message, attempt);
        insert.executeUpdate();
    }

    /** The job's history, oldest first; empty if there is no such job. */
    public List<JobEvent> events(String jobId) {
        return database.read(session -> {
            PreparedStatement select = session.prepare(
                    "SELECT id, job_id, at, type, message, attempt FROM job_events WHERE job_id = ? ORDER BY id");
            select.setString(1, jobId);
            List<JobEvent> events = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    events.add(new JobEvent(rows.getLong(1), rows.getString(2),
                            Instant.ofEpochMilli(rows.getLong(3)), rows.getString(4), rows.getString(5),
                            rows.getInt(6)));
                }
            }
            return events;
        });
    }

    /** Adds a handler's event at the job's current attempt; false if there is no such job. */
    public boolean record(String jobId, String type, String message) {
        return database.write(session -> {
            OptionalLong attempt = session.queryLong(
                    "SELECT attempt FROM jobs WHERE job_id = ?" + EngineSql.forUpdate(database.engine()), jobId);
            if (attempt.isEmpty()) {
                return false;
            }
            insert(session, jobId, clock.millis(), type, message, (int) attempt.getAsLong());
            return true;
        });
    }
}
