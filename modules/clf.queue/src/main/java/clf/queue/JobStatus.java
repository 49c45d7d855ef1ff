package clf.queue;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The closed set of states a job moves through. This enum is the only list of statuses; the
 * schema's CHECK constraint mirrors it.
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

    private static final String CHOICES =
            Arrays.stream(values()).map(JobStatus::wireName).collect(Collectors.joining("|"));

    /** The lower-case name used on the wire and in the database. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean isTerminal() {
        return this == DONE || this == FAILED || this == CANCELED;
    }

    /** Parses a wire name; unknown names are an error, never silently dropped. */
    public static JobStatus parse(String field, String value) {
        for (JobStatus status : values()) {
            if (status.wireName().equals(value)) {
                return status;
            }
        }
        throw new InvalidInputException(field, "one of " + CHOICES, value);
    }
}
