package clf.queue.internal;

import clf.queue.JobQuery;
import clf.queue.JobStatus;
import clf.queue.sql.Session;
import clf.queue.sql.SqlEngine;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * How a {@link JobQuery} reads the table: newest first by insertion sequence, from one index
 * chosen explicitly, so that a page costs a seek plus {@code limit} rows however large the table
 * is. The most selective filter drives: a requester, else a single status, else a single kind,
 * else the sequence itself; the other filters are checked on the rows that index yields. Naming
 * the index stops SQLite from merging several index ranges and then sorting all their rows;
 * PostgreSQL gets no hint (its planner picks the same index from the same filters).
 */
public record ListPlan(String sql, List<Object> parameters) {

    public static ListPlan of(JobQuery query, SqlEngine engine) {
        List<Object> parameters = new ArrayList<>();
        StringBuilder where = new StringBuilder("seq < ?");
        parameters.add(query.cursor() == null ? Long.MAX_VALUE : PageCursor.decode(query.cursor()));
        String index;
        if (query.requester() != null) {
            index = "jobs_by_requester";
        } else if (query.statuses().size() == 1) {
            index = "jobs_by_status";
        } else if (query.kinds().size() == 1) {
            index = "jobs_by_kind";
        } else {
            index = null;
        }
        if (query.requester() != null) {
            where.append(" AND requester = ?");
            parameters.add(query.requester());
        }
        if (!query.statuses().isEmpty()) {
            List<String> names = query.statuses().stream().map(JobStatus::wireName).sorted().toList();
            where.append(" AND status IN (").append(placeholders(names.size())).append(')');
            parameters.addAll(names);
        }
        if (!query.kinds().isEmpty()) {
            List<String> kinds = query.kinds().stream().sorted().toList();
            where.append(" AND kind IN (").append(placeholders(kinds.size())).append(')');
            parameters.addAll(kinds);
        }
        // NOT INDEXED still allows the rowid (seq) range: the walk down the table from the cursor.
        String from;
        if (engine == SqlEngine.POSTGRESQL) {
            from = "jobs";
        } else {
            from = index == null ? "jobs NOT INDEXED" : "jobs INDEXED BY " + index;
        }
        // One row past the page tells whether there is a next page.
        String sql = "SELECT " + JobRows.COLUMNS + " FROM " + from + " WHERE " + where
                + " ORDER BY seq DESC LIMIT " + (query.limit() + 1);
        return new ListPlan(sql, List.copyOf(parameters));
    }

    public void bind(PreparedStatement statement) throws SQLException {
        Session.bind(statement, parameters.toArray());
    }

    private static String placeholders(int count) {
        return String.join(", ", java.util.Collections.nCopies(count, "?"));
    }
}
