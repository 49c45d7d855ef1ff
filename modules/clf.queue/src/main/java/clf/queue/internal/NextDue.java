package clf.queue.internal;

import static clf.queue.JobStatus.QUEUED;
import static clf.queue.JobStatus.RUNNING;

import clf.queue.sql.SqlDatabase;
import clf.queue.sql.SqlEngine;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * When a claim next could find something that no write has to bring first: the earliest queued
 * job that becomes runnable after now (scheduled, or waiting out a retry's backoff), or the
 * earliest running job's lease end (to be taken back). Two seeks, on {@code jobs_by_runnable_since}
 * and {@code jobs_by_lease}, on either engine; idle workers sleep until then.
 */
final class NextDue {
    private final SqlDatabase database;
    private final Clock clock;
    private final String queuedSql;
    private final String leaseSql;

    NextDue(SqlDatabase database, Clock clock) {
        this.database = database;
        this.clock = clock;
        SqlEngine engine = database.engine();
        String runnable = engine == SqlEngine.SQLITE ? "max(created_at, run_at)" : "greatest(created_at, run_at)";
        this.queuedSql = """
                SELECT %1$s FROM jobs%2$s
                 WHERE %3$s AND %1$s > ?
                 ORDER BY %1$s
                 LIMIT 1
                """.formatted(runnable, EngineSql.indexedBy(engine, "jobs_by_runnable_since"), StatusSql.is(QUEUED));
        this.leaseSql = """
                SELECT lease_until FROM jobs%s
                 WHERE %s
                 ORDER BY lease_until
                 LIMIT 1
                """.formatted(EngineSql.indexedBy(engine, "jobs_by_lease"), StatusSql.is(RUNNING));
    }

    Optional<Instant> next() {
        long now = clock.millis();
        return database.read(session -> {
            OptionalLong queued = session.queryLong(queuedSql, now);
            OptionalLong lease = session.queryLong(leaseSql);
            if (queued.isEmpty() && lease.isEmpty()) {
                return Optional.empty();
            }
            long first = Math.min(queued.orElse(Long.MAX_VALUE), lease.orElse(Long.MAX_VALUE));
            return Optional.of(Instant.ofEpochMilli(first));
        });
    }
}
