package clf.queue.internal;

import clf.queue.JobStatus;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Job statuses as SQL text, made from {@link JobStatus} so that no query spells one by hand.
 * Literals rather than parameters: SQLite uses a partial index only for a query whose WHERE
 * repeats the index's own condition, which a bound parameter cannot.
 */
public final class StatusSql {
    private StatusSql() {
    }

    /** {@code status = 'queued'} */
    public static String is(JobStatus status) {
        return "status = " + literal(status);
    }

    /** {@code status IN ('queued', 'running')}, in the enum's order (as the schema's indexes spell it). */
    public static String in(Set<JobStatus> statuses) {
        return statuses.stream().sorted(Comparator.naturalOrder()).map(StatusSql::literal)
                .collect(Collectors.joining(", ", "status IN (", ")"));
    }

    /** {@code 'queued'} */
    public static String literal(JobStatus status) {
        return "'" + status.wireName() + "'";
    }

    /**
     * One move of a job's status as an update spells it: {@link #set()} the new status where
     * {@link #guard()} still holds. Only a move {@link JobStatus#canMoveTo} allows can be made.
     */
    public record Move(JobStatus from, JobStatus to) {
        public Move {
            if (!from.canMoveTo(to)) {
                throw new IllegalArgumentException("a job cannot move from " + from + " to " + to);
            }
        }

        /** {@code status = 'done'} */
        public String set() {
            return is(to);
        }

        /** {@code status = 'running'} */
        public String guard() {
            return is(from);
        }
    }
}
