package clf.queue.internal.sqlite;

import static clf.queue.JobStatus.QUEUED;
import static clf.queue.JobStatus.RUNNING;

import clf.queue.Job;
import clf.queue.JobEvent;
import clf.queue.LeaseStatus;
import clf.queue.internal.EventLog;
import clf.queue.internal.Leases;
import clf.queue.internal.StatusSql;
import clf.queue.internal.Transitions;
import clf.queue.sql.Session;
import clf.queue.sql.SqlEngine;
import clf.queue.sqlite.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.Set;

/** Claims, leases and taking back the jobs of workers whose lease ran out. */
final class Claims {
    /**
     * Claims look for expired leases at most this often: a lease is never shorter than
     * {@link clf.queue.JobStore#MIN_LEASE}, and skipping the sweep keeps the hot claim path to one seek.
     */
    private static final long LEASE_SWEEP_INTERVAL_MS = 100;

    /**
     * The most urgent due job of one kind: a seek on the partial index {@code jobs_due}. Among
     * equal priorities the lowest turn goes first, which takes requesters in turn (see {@link Turns}).
     */
    static final String DUE_JOB_SQL = """
            SELECT seq, priority, turn, run_at FROM jobs INDEXED BY jobs_due
             WHERE %s AND kind = ? AND run_at <= ?
             ORDER BY priority DESC, turn, run_at, seq
             LIMIT 1
            """.formatted(StatusSql.is(QUEUED));
    /** Running jobs whose lease ran out, oldest lease first. */
    static final String EXPIRED_LEASES_SQL = Leases.expiredSql(SqlEngine.SQLITE);

    private final Database database;
    private final Clock clock;
    /**
     * When a claim next sweeps for expired leases; set once a sweep is committed. Claims race to
     * set it, harmlessly: at worst one sweeps a little early.
     */
    private volatile long nextLeaseSweepAt = Long.MIN_VALUE;

    Claims(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    Optional<Job> claimNext(String workerId, Set<String> kinds, Duration lease) {
        long leaseMs = lease.toMillis();
        // A look on a reader first: idle workers polling (and woken by every enqueue) must not
        // queue up for the write lock that enqueues and other processes need.
        if (!database.read(session -> anythingToClaim(session, kinds, clock.millis()))) {
            return Optional.empty();
        }
        long[] sweptAt = {Long.MIN_VALUE};
        Optional<Job> claimed = database.write(session -> {
            long now = clock.millis();
            if (now >= nextLeaseSweepAt) {
                Leases.reclaimExpired(session, SqlEngine.SQLITE, now);
                Turns.promoteDue(session, now);
                sweptAt[0] = now;
            }
            Due best = bestDueJob(session, kinds, now);
            if (best == null) {
                return Optional.<Job>empty();
            }
            Job job = Transitions.claim(session, best.seq(), workerId, now, now + leaseMs);
            Turns.claimed(session, best.turn());
            EventLog.insert(session, job.id(), now, JobEvent.CLAIM, workerId, job.attempt());
            return Optional.of(job);
        });
        if (sweptAt[0] != Long.MIN_VALUE) {
            // Only now: a sweep that rolled back (the disk was full) must run again on the next
            // claim, or that claim would find nothing due and pass for a success.
            nextLeaseSweepAt = sweptAt[0] + LEASE_SWEEP_INTERVAL_MS;
        }
        return claimed;
    }

    /** Whether a claim could find anything: a due job of these kinds, or a lease that ran out. */
    private static boolean anythingToClaim(Session session, Set<String> kinds, long now) throws SQLException {
        if (bestDueJob(session, kinds, now) != null) {
            return true;
        }
        PreparedStatement expired = session.prepare(EXPIRED_LEASES_SQL);
        Session.bind(expired, now, 1);
        try (ResultSet rows = expired.executeQuery()) {
            return rows.next();
        }
    }

    /** A due job's place in the claim order. */
    private record Due(long seq, int priority, long turn, long runAt) implements Comparable<Due> {
        private static final Comparator<Due> ORDER = Comparator.comparingInt(Due::priority).reversed()
                .thenComparingLong(Due::turn).thenComparingLong(Due::runAt).thenComparingLong(Due::seq);

        @Override
        public int compareTo(Due other) {
            return ORDER.compare(this, other);
        }
    }

    /**
     * The most urgent due job among {@code kinds}, or null. One index seek per kind on
     * {@code jobs_due}; merging a handful of candidates here beats a sort over all queued rows.
     */
    private static Due bestDueJob(Session session, Set<String> kinds, long now) throws SQLException {
        PreparedStatement select = session.prepare(DUE_JOB_SQL);
        Due best = null;
        for (String kind : kinds) {
            Session.bind(select, kind, now);
            try (ResultSet rows = select.executeQuery()) {
                if (!rows.next()) {
                    continue;
                }
                Due due = new Due(rows.getLong(1), rows.getInt(2), rows.getLong(3), rows.getLong(4));
                if (best == null || due.compareTo(best) < 0) {
                    best = due;
                }
            }
        }
        return best;
    }

    int reclaimExpiredLeases() {
        return database.write(session -> {
            long now = clock.millis();
            Turns.promoteDue(session, now);
            return Leases.reclaimExpired(session, SqlEngine.SQLITE, now);
        });
    }

    LeaseStatus extendLease(String jobId, String workerId, Duration lease) {
        long leaseMs = lease.toMillis();
        return database.write(session -> Leases.extend(session, jobId, workerId, clock.millis() + leaseMs));
    }
}
