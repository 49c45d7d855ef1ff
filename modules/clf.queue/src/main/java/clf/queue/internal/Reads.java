package clf.queue.internal;

import clf.queue.Job;
import clf.queue.JobPage;
import clf.queue.JobQuery;
import clf.queue.sql.Session;
import clf.queue.sql.SqlDatabase;
import clf.queue.sql.SqlEngine;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Jobs as callers look them up: by id, by id prefix, a page at a time. Each one index seek. */
public record Reads(SqlDatabase database) {
    /**
     * A range of the unique index on job_id. On SQLite the UNIQUE constraint is this automatic
     * index; naming it keeps SQLite from walking a requester's jobs instead when the requester
     * has few. (On PostgreSQL job_id sorts bytewise, COLLATE "C", so the range is the prefix.)
     */
    public static String idPrefixSql(SqlEngine engine) {
        return "SELECT " + JobRows.COLUMNS + " FROM jobs" + EngineSql.indexedBy(engine, "sqlite_autoindex_jobs_1")
                + " WHERE job_id >= ? AND job_id < ? AND (CAST(? AS TEXT) IS NULL OR requester = ?)"
                + " ORDER BY job_id LIMIT ?";
    }

    private static final String GET = "SELECT " + JobRows.COLUMNS + " FROM jobs WHERE job_id = ?";

    public Optional<Job> get(String jobId) {
        return database.read(session -> {
            PreparedStatement select = session.prepare(GET);
            if (SqliteOneRow.applies(select)) {
                return SqliteOneRow.query(select, new Object[] {jobId}, JobRows::job);
            }
            select.setString(1, jobId);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(JobRows.job(row)) : Optional.<Job>empty();
            }
        });
    }

    /**
     * One range seek on the id's unique index: a prefix is an id range, whatever the table holds;
     * the requester is checked on the rows in that range.
     *
     * @param low a checked prefix in lower case
     */
    public List<Job> findByIdPrefix(String low, String requester, int limit) {
        // The next string after every string starting with low: its last character plus one
        // (ids are ASCII, so this never leaves the character range).
        String high = low.substring(0, low.length() - 1) + (char) (low.charAt(low.length() - 1) + 1);
        return database.read(session -> {
            PreparedStatement select = session.prepare(idPrefixSql(database.engine()));
            Session.bind(select, low, high, requester, requester, limit);
            List<Job> jobs = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    jobs.add(JobRows.job(rows));
                }
            }
            return jobs;
        });
    }

    /** A page of jobs, newest first. Always an index seek: see {@link ListPlan}. */
    public JobPage list(JobQuery query) {
        ListPlan plan = ListPlan.of(query, database.engine());
        return database.read(session -> {
            PreparedStatement select = session.prepare(plan.sql());
            plan.bind(select);
            List<Job> jobs = new ArrayList<>();
            long lastSeq = 0;
            boolean more = false;
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    if (jobs.size() == query.limit()) {
                        more = true;
                        break;
                    }
                    jobs.add(JobRows.job(rows));
                    lastSeq = JobRows.seq(rows);
                }
            }
            return new JobPage(jobs, more ? PageCursor.encode(lastSeq) : null);
        });
    }

    /** The newest job's sequence number, read as any read is: proves the store can be read. */
    public void ping() {
        database.read(session -> session.queryLong("SELECT max(seq) FROM jobs"));
    }
}
