package clf.queue;

import clf.protocol.InvalidInputException;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The closed set of states a job moves through, and the moves between them. This enum is the
 * only list of statuses and the only place that says which moves are legal; every store guards
 * its updates with it, and the schema's CHECK constraint mirrors the list.
 *
 * <ul>
 *   <li>{@link #QUEUED}: waiting for {@code runAt}; entered by enqueue, a retry, a reclaimed lease
 *       or a release at shutdown.</li>
 *   <li>{@link #RUNNING}: held by one worker under a lease; entered only by a claim.</li>
 *   <li>{@link #DONE}, {@link #FAILED}, {@link #CANCELED}: terminal; nothing leaves them.</li>
 * </ul>
 */
public enum JobStatus {
    QUEUED, RUNNING, DONE, FAILED, CANCELED;

    /** Every status, for {@link #parse} (values() copies its array on each call). */
    private static final JobStatus[] ALL = values();

    /** Queued or running: the jobs a requester's quotas count and a worker may still change. */
    public static final Set<JobStatus> ACTIVE = Collections.unmodifiableSet(EnumSet.of(QUEUED, RUNNING));
    /** The terminal statuses: what prune may delete. */
    public static final Set<JobStatus> ENDED = Collections.unmodifiableSet(EnumSet.of(DONE, FAILED, CANCELED));

    private static final String CHOICES =
            Arrays.stream(values()).map(JobStatus::wireName).collect(Collectors.joining("|"));

    /** Lower-cased once: every row read from the store is parsed by it. */
    private final String wireName = name().toLowerCase(Locale.ROOT);

    /** The lower-case name used on the wire and in the database. */
    public String wireName() {
        return wireName;
    }

    public boolean isTerminal() {
        return ENDED.contains(this);
    }

    /**
     * Whether a job in this status may move to {@code next}. A claim takes a queued job; a running
     * one ends (done, failed, canceled) or goes back to the queue (retry, reclaim, release); a
     * queued one may be canceled; an ended one never moves again.
     */
    public boolean canMoveTo(JobStatus next) {
        return switch (this) {
            case QUEUED -> next == RUNNING || next == CANCELED;
            case RUNNING -> next != RUNNING;
            case DONE, FAILED, CANCELED -> false;
        };
    }

    /** Parses a wire name; unknown names are an error, never silently dropped. */
    public static JobStatus parse(String field, String value) {
        for (JobStatus status : ALL) {
            if (status.wireName.equals(value)) {
                return status;
            }
        }
        throw new InvalidInputException(field, "one of " + CHOICES, value);
    }
}
