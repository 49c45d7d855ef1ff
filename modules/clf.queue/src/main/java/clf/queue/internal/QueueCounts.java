package clf.queue.internal;

import static clf.queue.JobStatus.QUEUED;

import clf.queue.JobStatus;
import clf.queue.QueueStats;
import clf.queue.sql.Session;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@link QueueStats} from an engine's own queries, run inside one read snapshot: each engine
 * reads the counts from the indexes it has; what they mean is the same.
 *
 * @param countSqls each yields rows of (status, kind, jobs)
 * @param notDueSql the number of queued jobs not runnable at the one parameter, now
 * @param oldestSql when the longest-waiting queued job became (or becomes) runnable, epoch ms
 */
public record QueueCounts(List<String> countSqls, String notDueSql, String oldestSql) {
    public QueueStats read(Session session, long now) throws SQLException {
        List<QueueStats.Count> counts = new ArrayList<>();
        for (String sql : countSqls) {
            try (ResultSet rows = session.prepare(sql).executeQuery()) {
                while (rows.next()) {
                    counts.add(new QueueStats.Count(rows.getString(2), JobStatus.parse("status", rows.getString(1)),
                            rows.getLong(3)));
                }
            }
        }
        counts.sort(Comparator.comparing(QueueStats.Count::kind).thenComparing(QueueStats.Count::status));
        long later = session.queryLong(notDueSql, now).orElse(0);
        OptionalLong since = session.queryLong(oldestSql);
        Optional<Instant> oldest = since.isPresent() && since.getAsLong() <= now
                ? Optional.of(Instant.ofEpochMilli(since.getAsLong())) : Optional.empty();
        long queued = counts.stream().filter(count -> count.status() == QUEUED).mapToLong(QueueStats.Count::jobs).sum();
        return new QueueStats(Instant.ofEpochMilli(now), counts, queued - later, oldest);
    }
}
