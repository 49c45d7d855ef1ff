package clf.queue.internal.sqlite;

import static clf.queue.JobStatus.QUEUED;

import clf.queue.internal.DueTurns;
import clf.queue.internal.StatusSql;
import clf.queue.sql.Session;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Fair share: each job's turn among its requester's, so that claims of equal priority take
 * requesters in turn. A job's turn is one past its requester's last, but never behind the turn of
 * the last claimed job, so an idle requester's new job waits for one claim at most.
 */
final class Turns {
    /**
     * The turn of a job enqueued to run later, until it is due: last in its priority, so a claim
     * never walks past jobs that wait for their time to find one due now (as it would if they
     * kept the early turn of their enqueue). {@link #promoteDue} gives each its turn once due.
     */
    static final long SCHEDULED = Long.MAX_VALUE;


    /** The turn a requester's next job gets: one past its last, never behind the last one claimed. */
    static final String NEXT_TURN_SQL = """
            SELECT max(coalesce((SELECT last_turn FROM requester_turns WHERE requester = ?), 0),
                       (SELECT turn FROM claim_turn WHERE id = 1)) + 1
            """;
    /** Jobs due whose turn waits: a seek on {@code jobs_scheduled}, which holds only those not yet given one. */
    static final String SCHEDULED_DUE_SQL = """
            SELECT seq, requester FROM jobs INDEXED BY jobs_scheduled
             WHERE %s AND turn = %d AND run_at <= ?
             ORDER BY run_at
             LIMIT ?
            """.formatted(StatusSql.is(QUEUED), SCHEDULED);

    private Turns() {
    }

    /**
     * The turn of {@code requester}'s new job, recorded as its last. A requester with many jobs
     * queued has turns far ahead; one that has none queued gets the turn after the last claimed,
     * so its job goes after at most one job of each other requester of its priority.
     */
    static long next(Session session, String requester) throws SQLException {
        long turn = session.queryLong(NEXT_TURN_SQL, requester).orElseThrow();
        PreparedStatement record = session.prepare("""
                INSERT INTO requester_turns (requester, last_turn) VALUES (?, ?)
                ON CONFLICT (requester) DO UPDATE SET last_turn = excluded.last_turn
                """);
        Session.bind(record, requester, turn);
        record.executeUpdate();
        return turn;
    }

    /** A claim's turn becomes the last claimed, if it is past it. */
    static void claimed(Session session, long turn) throws SQLException {
        PreparedStatement advance = session.prepare("UPDATE claim_turn SET turn = ?1 WHERE id = 1 AND turn < ?1");
        advance.setLong(1, turn);
        advance.executeUpdate();
    }

    /**
     * Gives jobs enqueued to run later, now due, their turn (as if enqueued now). Until then they
     * can be claimed too, after every other due job of their priority.
     */
    static void promoteDue(Session session, long now) throws SQLException {
        DueTurns.promote(session, SCHEDULED_DUE_SQL, now, Turns::next);
    }
}
