package clf.queue.internal.sqlite;

import static clf.queue.JobStatus.QUEUED;
import static clf.queue.JobStatus.RUNNING;

import clf.queue.JobStatus;
import clf.queue.QueueStats;
import clf.queue.sqlite.Database;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

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

    QueueStats stats() {
        return database.readSnapshot(session -> {
            long now = clock.millis();
            List<QueueStats.Count> counts = new ArrayList<>();
            for (String sql : List.of(QUEUED_COUNTS_SQL, RUNNING_COUNTS_SQL, ENDED_COUNTS_SQL)) {
                try (ResultSet rows = session.prepare(sql).executeQuery()) {
                    while (rows.next()) {
                        counts.add(new QueueStats.Count(rows.getString(2), JobStatus.parse("status", rows.getString(1)),
                                rows.getLong(3)));
                    }
                }
            }
            counts.sort(Comparator.comparing(QueueStats.Count::kind)
                    .thenComparing(QueueStats.Count::status));
            long later = session.queryLong(NOT_DUE_SQL, now).orElse(0);
            OptionalLong since = session.queryLong(OLDEST_QUEUED_SQL);
            Optional<Instant> oldest = since.isPresent() && since.getAsLong() <= now
                    ? Optional.of(Instant.ofEpochMilli(since.getAsLong())) : Optional.empty();
            long queued = counts.stream().filter(count -> count.status() == QUEUED)
                    .mapToLong(QueueStats.Count::jobs).sum();
            return new QueueStats(Instant.ofEpochMilli(now), counts, queued - later, oldest);
        });
    }
}
