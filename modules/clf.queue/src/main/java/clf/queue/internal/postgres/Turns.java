package clf.queue.internal.postgres;

import static clf.queue.JobStatus.QUEUED;

import clf.queue.internal.DueTurns;
import clf.queue.internal.StatusSql;
import clf.queue.sql.Session;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Fair share in the shared store, as on SQLite ({@code clf.queue.internal.sqlite.Turns}): a
 * job's turn is one past its requester's last, never behind the highest turn claimed, so
 * requesters of equal priority take turns across every host. The highest turn claimed is spread
 * over {@link JobSchema#CLAIM_TURN_SLOTS} rows so concurrent claims do not wait for each other.
 */
final class Turns {
    /** The turn of a job enqueued to run later, until it is due: last in its priority. */
    static final long SCHEDULED = Long.MAX_VALUE;


    /**
     * Records and returns the requester's next turn in one statement; its row stays locked until
     * the transaction ends, so two hosts' enqueues of one requester get different turns.
     */
    static final String NEXT_TURN_SQL = nextTurnSql("");

    /** {@link #NEXT_TURN_SQL}, taking the turn only where {@code condition} (SQL, with a leading WHERE) holds. */
    static String nextTurnSql(String condition) {
        return """
                INSERT INTO requester_turns AS r (requester, last_turn)
                SELECT ?, (SELECT max(turn) FROM claim_turns) + 1 %s
                ON CONFLICT (requester) DO UPDATE
                   SET last_turn = greatest(r.last_turn, (SELECT max(turn) FROM claim_turns)) + 1
                RETURNING last_turn
                """.formatted(condition);
    }
    /** Due jobs whose turn waits; rows another host is promoting are skipped. */
    private static final String SCHEDULED_DUE_SQL = """
            SELECT seq, requester FROM jobs
             WHERE %s AND turn = %d AND run_at <= ?
             ORDER BY run_at
             LIMIT ?
             FOR UPDATE SKIP LOCKED
            """.formatted(StatusSql.is(QUEUED), SCHEDULED);

    private Turns() {
    }

    /** The turn of {@code requester}'s new job, recorded as its last (an enqueue does this inside its insert). */
    static long next(Session session, String requester) throws SQLException {
        return session.queryLong(NEXT_TURN_SQL, requester).orElseThrow();
    }

    /** The row of {@code claim_turns} a worker advances: the same one for the same worker. */
    static int slot(String workerId) {
        return Math.floorMod(workerId.hashCode(), JobSchema.CLAIM_TURN_SLOTS);
    }

    /** Gives jobs enqueued to run later, now due, their turn (as if enqueued now). */
    static void promoteDue(Session session, long now) throws SQLException {
        DueTurns.promote(session, SCHEDULED_DUE_SQL, now, Turns::next);
    }
}
