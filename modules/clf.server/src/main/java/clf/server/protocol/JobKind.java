package clf.server.protocol;

import clf.queue.InvalidInputException;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The job kinds of protocol v1, with how often each is tried by default. */
public enum JobKind {
    /** Create a Hetzner server from the cattle image, carrying identity, task and a one-time token. */
    CATTLE_SPAWN("cattle.spawn", 3),
    /** Delete cattle servers whose TTL has passed. */
    CATTLE_REAP("cattle.reap", 1);

    public static final String CHOICES = Arrays.stream(values()).map(JobKind::wireName)
            .collect(Collectors.joining("|"));

    private final String wireName;
    private final int defaultMaxAttempts;

    JobKind(String wireName, int defaultMaxAttempts) {
        this.wireName = wireName;
        this.defaultMaxAttempts = defaultMaxAttempts;
    }

    public String wireName() {
        return wireName;
    }

    public int defaultMaxAttempts() {
        return defaultMaxAttempts;
    }

    public static JobKind parse(String field, String value) {
        for (JobKind kind : values()) {
            if (kind.wireName.equals(value)) {
                return kind;
            }
        }
        throw new InvalidInputException(field, "one of " + CHOICES, value);
    }
}
