package clf.queue.internal.sqlite;

import static clf.queue.JobStatus.QUEUED;
import static clf.queue.JobStatus.RUNNING;

import clf.queue.JobStatus;
import clf.queue.QueueStats;
import clf.queue.internal.QueueCounts;
import clf.queue.internal.StatusSql;
import clf.queue.sqlite.Database;
import java.time.Clock;
import java.util.List;

/**
 * Jobs by kind and status, the runnable backlog and its oldest job, from one read snapshot.
 * Costs a walk of one small index entry per job (the counts) and two index seeks; the table is
 * read only for the kinds of running jobs.
 */
record Stats(Database database, Clock clock) {
    /**
     * Jobs by status and kind, each a walk of an index that holds only jobs of those statuses:
     * ended ones, queued ones (by kind first), running ones (few: one per busy worker).
     */
    static final String ENDED_COUNTS_SQL = """
            SELECT status, kind, count(*) FROM jobs INDEXED BY jobs_ended_by_status_kind
             WHERE %s
             GROUP BY status, kind
            """.formatted(StatusSql.in(JobStatus.ENDED));
    static final String QUEUED_COUNTS_SQL = """
            SELECT %s, kind, count(*) FROM jobs INDEXED BY jobs_due
             WHERE %s
             GROUP BY kind
            """.formatted(StatusSql.literal(QUEUED), StatusSql.is(QUEUED));
    static final String RUNNING_COUNTS_SQL = """
            SELECT %s, kind, count(*) FROM jobs INDEXED BY jobs_by_lease
             WHERE %s
             GROUP BY kind
            """.formatted(StatusSql.literal(RUNNING), StatusSql.is(RUNNING));
    /**
     * Queued jobs not due yet: a range of {@code jobs_by_runnable_since} past now. Runnable jobs
     * are the queued ones less these, so a large backlog of due jobs is never walked.
     */
    static final String NOT_DUE_SQL = """
            SELECT count(*) FROM jobs INDEXED BY jobs_by_runnable_since
             WHERE %s AND max(created_at, run_at) > ?
            """.formatted(StatusSql.is(QUEUED));
    /** When the longest-waiting queued job became runnable: the first entry of the same index. */
    static final String OLDEST_QUEUED_SQL = """
            SELECT min(max(created_at, run_at)) FROM jobs INDEXED BY jobs_by_runnable_since
             WHERE %s
            """.formatted(StatusSql.is(QUEUED));

    private static final QueueCounts COUNTS = new QueueCounts(
            List.of(QUEUED_COUNTS_SQL, RUNNING_COUNTS_SQL, ENDED_COUNTS_SQL), NOT_DUE_SQL, OLDEST_QUEUED_SQL);

    QueueStats stats() {
        return database.readSnapshot(session -> COUNTS.read(session, clock.millis()));
    }
}
