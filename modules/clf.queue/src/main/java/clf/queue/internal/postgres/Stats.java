package clf.queue.internal.postgres;

import static clf.queue.JobStatus.QUEUED;

import clf.queue.QueueStats;
import clf.queue.internal.QueueCounts;
import clf.queue.internal.StatusSql;
import clf.queue.postgres.PostgresDatabase;
import java.time.Clock;
import java.util.List;

/**
 * Jobs by kind and status, the runnable backlog and its oldest job, from one snapshot. The
 * counts are one pass over the table (PostgreSQL keeps no count; a metrics scrape every few
 * seconds can afford it up to a few hundred thousand jobs, which daily pruning keeps it under);
 * backlog and oldest are seeks on {@code jobs_by_runnable_since}.
 */
record Stats(PostgresDatabase database, Clock clock) {
    static final String COUNTS_SQL = "SELECT status, kind, count(*) FROM jobs GROUP BY status, kind";
    static final String NOT_DUE_SQL = """
            SELECT count(*) FROM jobs
             WHERE %s AND greatest(created_at, run_at) > ?
            """.formatted(StatusSql.is(QUEUED));
    static final String OLDEST_QUEUED_SQL = """
            SELECT min(greatest(created_at, run_at)) FROM jobs
             WHERE %s
            """.formatted(StatusSql.is(QUEUED));
    private static final QueueCounts COUNTS = new QueueCounts(List.of(COUNTS_SQL), NOT_DUE_SQL, OLDEST_QUEUED_SQL);

    QueueStats stats() {
        return database.readSnapshot(session -> COUNTS.read(session, clock.millis()));
    }
}
