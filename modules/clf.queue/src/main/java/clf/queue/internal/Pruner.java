package clf.queue.internal;

import clf.queue.JobStatus;
import clf.queue.PruneResult;
import clf.queue.sql.Session;
import clf.queue.sql.SqlDatabase;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Deletes long-ended jobs with their events, a small transaction at a time so workers never wait long. */
record Pruner(SqlDatabase database, Clock clock) {
    private static final int BATCH = 500;

    PruneResult prune(Duration olderThan) {
        long cutoff = clock.millis() - olderThan.toMillis();
        int jobs = 0;
        int events = 0;
        for (JobStatus status : JobStatus.ENDED) {
            while (true) {
                int[] batch = database.write(session -> pruneBatch(session, status, cutoff));
                jobs += batch[0];
                events += batch[1];
                if (batch[0] < BATCH) {
                    break;
                }
            }
        }
        return new PruneResult(jobs, events);
    }

    /** Up to {@value #BATCH} jobs of {@code status} last updated before {@code cutoff}: {jobs, events} deleted. */
    private static int[] pruneBatch(Session session, JobStatus status, long cutoff) throws SQLException {
        List<String> ids = new ArrayList<>();
        PreparedStatement select = session.prepare(
                "SELECT job_id FROM jobs WHERE status = ? AND updated_at < ? LIMIT " + BATCH);
        Session.bind(select, status.wireName(), cutoff);
        try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
        }
        int events = 0;
        PreparedStatement deleteEvents = session.prepare("DELETE FROM job_events WHERE job_id = ?");
        PreparedStatement deleteJob = session.prepare("DELETE FROM jobs WHERE job_id = ?");
        for (String id : ids) {
            deleteEvents.setString(1, id);
            events += deleteEvents.executeUpdate();
            deleteJob.setString(1, id);
            deleteJob.executeUpdate();
        }
        return new int[] {ids.size(), events};
    }
}
