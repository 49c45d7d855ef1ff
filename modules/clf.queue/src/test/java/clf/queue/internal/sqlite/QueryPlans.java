package clf.queue.internal.sqlite;

import clf.queue.JobQuery;
import clf.queue.internal.Cancels;
import clf.queue.internal.ListPlan;
import clf.queue.internal.Reads;
import clf.queue.sql.Session;
import clf.queue.sql.SqlEngine;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The query plans SQLite picks for the store's statements, read on a connection of the test's
 * own: the store's API has no way to ask, and needs none.
 */
final class QueryPlans {
    private final Path file;

    QueryPlans(Path file) {
        this.file = file;
    }

    /** The plan of {@code sql} bound to {@code parameters}, one line per step. */
    List<String> explain(String sql, Object... parameters) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
             PreparedStatement statement = connection.prepareStatement("EXPLAIN QUERY PLAN " + sql)) {
            Session.bind(statement, parameters);
            List<String> lines = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    lines.add(rows.getString("detail"));
                }
            }
            return lines;
        }
    }

    /** A claim's statements: the due job of a kind, the expired leases, an idempotency key's job. */
    List<String> claim() throws SQLException {
        List<String> lines = new ArrayList<>();
        lines.addAll(explain(Claims.DUE_JOB_SQL, "k", 0));
        lines.addAll(explain(Claims.EXPIRED_LEASES_SQL, 0, 1));
        lines.addAll(explain(Enqueues.KEY_LOOKUP_SQL, "r", "k"));
        return lines;
    }

    /** An enqueue's quota and turn statements, and the promotion of jobs come due. */
    List<String> enqueueRules() throws SQLException {
        List<String> lines = new ArrayList<>();
        lines.addAll(explain(Turns.SCHEDULED_DUE_SQL, 0, 1));
        lines.addAll(explain(Quotas.ACTIVE_SQL, "r"));
        lines.addAll(explain(Enqueues.QUEUED_TWIN_SQL, "r", "k", "{}"));
        lines.addAll(explain(Turns.NEXT_TURN_SQL, "r"));
        return lines;
    }

    List<String> stats() throws SQLException {
        List<String> lines = new ArrayList<>();
        lines.addAll(explain(Stats.QUEUED_COUNTS_SQL));
        lines.addAll(explain(Stats.RUNNING_COUNTS_SQL));
        lines.addAll(explain(Stats.ENDED_COUNTS_SQL));
        lines.addAll(explain(Stats.NOT_DUE_SQL, 0));
        lines.addAll(explain(Stats.OLDEST_QUEUED_SQL));
        return lines;
    }

    List<String> cancelWatch() throws SQLException {
        return explain(Cancels.watchSql(SqlEngine.SQLITE), "w", "w" + (char) 0x7f);
    }

    List<String> findByIdPrefix() throws SQLException {
        return explain(Reads.idPrefixSql(SqlEngine.SQLITE), "00000000", "00000001", "r", "r", 10);
    }

    List<String> list(JobQuery query) throws SQLException {
        ListPlan plan = ListPlan.of(query, SqlEngine.SQLITE);
        return explain(plan.sql(), plan.parameters().toArray());
    }
}
