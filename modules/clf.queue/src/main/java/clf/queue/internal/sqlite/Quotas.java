package clf.queue.internal.sqlite;

import clf.queue.JobStatus;
import clf.queue.internal.StatusSql;

/** How SQLite counts a requester's jobs for {@link clf.queue.internal.QuotaCheck}. */
final class Quotas {
    /**
     * A requester's active jobs and its queued payload: a walk of its entries in
     * {@code jobs_active_by_requester}, as many as its limit of active jobs at most.
     */
    static final String ACTIVE_SQL = """
            SELECT count(*), total(CASE WHEN %s THEN payload_bytes END)
              FROM jobs INDEXED BY jobs_active_by_requester
             WHERE requester = ? AND %s
            """.formatted(StatusSql.is(JobStatus.QUEUED), StatusSql.in(JobStatus.ACTIVE));

    private Quotas() {
    }
}
