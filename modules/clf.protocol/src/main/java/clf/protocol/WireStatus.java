package clf.protocol;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A job's status as protocol v1 names it ({@code "status":"queued"}). The queue has its own
 * {@code JobStatus} with the transitions between them; the daemon maps one onto the other by
 * name, and a test in the daemon proves the two sets are the same.
 */
public enum WireStatus {
    QUEUED, RUNNING, DONE, FAILED, CANCELED;

    /** Every wire name, as a refusal lists them: {@code queued|running|done|failed|canceled}. */
    public static final String CHOICES =
            Arrays.stream(values()).map(WireStatus::wireName).collect(Collectors.joining("|"));

    /** Lower-cased once: every job a show or list answers names its status. */
    private final String wireName = name().toLowerCase(Locale.ROOT);

    /** The lower-case name on the wire. */
    public String wireName() {
        return wireName;
    }

    /** Whether a job in this status has ended for good: done, failed or canceled. */
    public boolean isTerminal() {
        return this == DONE || this == FAILED || this == CANCELED;
    }

    /** Parses a wire name; an unknown one is an error naming {@code field}, never dropped. */
    public static WireStatus parse(String field, String value) {
        for (WireStatus status : values()) {
            if (status.wireName().equals(value)) {
                return status;
            }
        }
        throw new InvalidInputException(field, "one of " + CHOICES, value);
    }
}
