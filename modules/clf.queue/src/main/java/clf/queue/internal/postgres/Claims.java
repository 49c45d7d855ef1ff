package clf.queue.internal.postgres;

import static clf.queue.JobStatus.QUEUED;

import clf.queue.Job;
import clf.queue.JobEvent;
import clf.queue.LeaseStatus;
import clf.queue.internal.JobRows;
import clf.queue.internal.Leases;
import clf.queue.internal.StatusSql;
import clf.queue.internal.Transitions;
import clf.queue.postgres.PostgresDatabase;
import clf.queue.sql.SqlEngine;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.Optional;
import java.util.Set;

/**
 * Claims, leases and taking back expired ones in the shared store. A claim locks its job with
 * {@code FOR UPDATE SKIP LOCKED}: claimers on every host pass over the rows others are taking
 * and never wait for each other, and no job is claimed twice.
 */
final class Claims {
    /**
     * Claims look for expired leases and due scheduled jobs at most this often (per process): a
     * lease is never shorter than {@link clf.queue.JobStore#MIN_LEASE}.
     */
    private static final long SWEEP_INTERVAL_MS = 100;

    /**
     * The claim in one statement: for each kind the most urgent due job nobody is claiming (a
     * seek on {@code jobs_due}, locked, others skipped), the best of those, moved to running.
     * Among equal priorities the lowest turn goes first, which takes requesters in turn. The
     * same statement advances the worker's slot of the highest claimed turn ({@link Turns}) and
     * writes the claim event: one round trip, as the claim is the hot path of every worker.
     *
     * <p>The kinds are a list of values, one parameter each ({@link #claimSql}), not an array:
     * the server cannot tell an array parameter's length, guesses a hundred kinds, and then finds
     * a plan made for the values at hand cheaper than its generic one every time, planning the
     * claim anew on every call (measured: the planner was about a seventh of the server's CPU).
     */
    private static final String CLAIM_SQL = """
            WITH chosen AS (
              SELECT due.seq AS chosen_seq
                FROM (VALUES %s) AS wanted (kind)
                CROSS JOIN LATERAL (
                  SELECT seq, priority, turn, run_at FROM jobs
                   WHERE %s AND jobs.kind = wanted.kind AND run_at <= ?
                   ORDER BY priority DESC, turn, run_at, seq
                   LIMIT 1
                   FOR UPDATE SKIP LOCKED) AS due
               ORDER BY due.priority DESC, due.turn, due.run_at, due.seq
               LIMIT 1)
            , claimed AS (
              UPDATE jobs
                 SET %s, locked_by = ?, lease_until = ?, updated_at = ?, attempt = attempt + 1
                FROM chosen
               WHERE jobs.seq = chosen.chosen_seq
              RETURNING %s, turn)
            , advanced AS (
              UPDATE claim_turns SET turn = claimed.turn
                FROM claimed
               WHERE claim_turns.slot = ? AND claim_turns.turn < claimed.turn)
            , logged AS (
              INSERT INTO job_events (job_id, at, type, message, attempt)
              SELECT job_id, updated_at, '%s', locked_by, attempt FROM claimed)
            SELECT * FROM claimed
            """.formatted("%s", StatusSql.is(QUEUED), Transitions.CLAIM.set(), JobRows.COLUMNS, JobEvent.CLAIM);
    /** {@link #CLAIM_SQL} for as many kinds as the index: a worker asks with the same text every time. */
    private static final String[] CLAIM_SQL_BY_KINDS = new String[33];

    private final PostgresDatabase database;
    private final Clock clock;
    /** When a claim next sweeps; claims race to set it, harmlessly. */
    private volatile long nextSweepAt = Long.MIN_VALUE;

    Claims(PostgresDatabase database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    Optional<Job> claimNext(String workerId, Set<String> kinds, Duration lease) {
        long leaseMs = lease.toMillis();
        long start = clock.millis();
        if (start >= nextSweepAt) {
            // A transaction of its own, so a claim holds its locks only as long as the claim.
            sweep();
            nextSweepAt = start + SWEEP_INTERVAL_MS;
        }
        // One statement: it commits itself, no BEGIN or COMMIT on the wire.
        return database.writeAutoCommit(session -> {
            long now = clock.millis();
            PreparedStatement claim = session.prepare(claimSql(kinds.size()));
            int parameter = 1;
            for (String kind : kinds) {
                claim.setString(parameter++, kind);
            }
            claim.setLong(parameter, now);
            claim.setString(parameter + 1, workerId);
            claim.setLong(parameter + 2, now + leaseMs);
            claim.setLong(parameter + 3, now);
            claim.setInt(parameter + 4, Turns.slot(workerId));
            try (ResultSet row = claim.executeQuery()) {
                return row.next() ? Optional.of(JobRows.job(row)) : Optional.<Job>empty();
            }
        });
    }

    static String claimSql(int kinds) {
        if (kinds < 1) {
            throw new IllegalArgumentException("a claim needs a kind");
        }
        String sql = kinds < CLAIM_SQL_BY_KINDS.length ? CLAIM_SQL_BY_KINDS[kinds] : null;
        if (sql == null) {
            sql = CLAIM_SQL.formatted(String.join(", ", Collections.nCopies(kinds, "(?)")));
            if (kinds < CLAIM_SQL_BY_KINDS.length) {
                CLAIM_SQL_BY_KINDS[kinds] = sql; // racing claims build the same text, harmlessly
            }
        }
        return sql;
    }

    int reclaimExpiredLeases() {
        return sweep();
    }

    /** Gives due scheduled jobs their turn and takes back expired leases, skipping rows another host is at. */
    private int sweep() {
        return database.write(session -> {
            long now = clock.millis();
            Turns.promoteDue(session, now);
            return Leases.reclaimExpired(session, SqlEngine.POSTGRESQL, now);
        });
    }

    LeaseStatus extendLease(String jobId, String workerId, Duration lease) {
        long leaseMs = lease.toMillis();
        return database.write(session -> Leases.extend(session, jobId, workerId, clock.millis() + leaseMs));
    }
}
