package clf.queue.internal;

import static clf.queue.JobStatus.QUEUED;

import clf.queue.sql.Session;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Jobs enqueued to run later wait without a fair-share turn; once due, each gets one as if
 * enqueued now. Both engines promote them alike, each with its own look-up and turn counter.
 */
public final class DueTurns {
    /** Jobs promoted in one transaction at most. */
    public static final int BATCH = 100;

    /** The turn a requester's job gets now (and records as the requester's last). */
    @FunctionalInterface
    public interface NextTurn {
        long of(Session session, String requester) throws SQLException;
    }

    private DueTurns() {
    }

    /**
     * Gives the due jobs {@code dueSql} finds (parameters: now, at most {@link #BATCH}; columns:
     * seq, requester) their turn, inside the caller's write transaction.
     */
    public static void promote(Session session, String dueSql, long now, NextTurn next) throws SQLException {
        PreparedStatement select = session.prepare(dueSql);
        Session.bind(select, now, BATCH);
        List<Long> seqs = new ArrayList<>();
        List<String> requesters = new ArrayList<>();
        try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                seqs.add(rows.getLong(1));
                requesters.add(rows.getString(2));
            }
        }
        PreparedStatement update = session.prepare("UPDATE jobs SET turn = ? WHERE seq = ? AND " + StatusSql.is(QUEUED));
        for (int i = 0; i < seqs.size(); i++) {
            Session.bind(update, next.of(session, requesters.get(i)), seqs.get(i));
            Transitions.expectOneRow(update.executeUpdate(), "seq " + seqs.get(i));
        }
    }
}
