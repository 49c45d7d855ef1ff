package clf.protocol;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Every kind of job there is: protocol v1's, which bots enqueue, and the daemon's own, which it
 * enqueues for itself. v1 clients know only v1's kinds (the original CLI exits 2 on any other),
 * so the v1 routes leave the daemon's out unless a request names the kind
 * ({@code kind=clf.prune}) or asks for every kind with {@code internal=1}, as this CLI does.
 * Nobody can enqueue the daemon's kinds over the API. A new kind starts here; docs/ARCHITECTURE.md
 * ("Where to add a job kind") lists the switches and the handler that must follow.
 */
public enum JobKind {
    /** Create a Hetzner server from the cattle image, carrying identity, task and a one-time token. */
    CATTLE_SPAWN("cattle.spawn", 3, true),
    /** Delete cattle servers whose TTL has passed. */
    CATTLE_REAP("cattle.reap", 1, true),
    /** Delete long-ended jobs and spent bootstrap tokens, once a day. */
    CLF_PRUNE("clf.prune", 1, false);

    /** The kinds a request may enqueue, as a refusal lists them: {@code cattle.spawn|cattle.reap}. */
    public static final String CHOICES = Arrays.stream(values()).filter(JobKind::isV1).map(JobKind::wireName)
            .collect(Collectors.joining("|"));

    /** Every kind a request may filter by: v1's, then the daemon's own. */
    public static final List<String> LISTABLE = Arrays.stream(values()).map(JobKind::wireName).toList();

    /** The query parameter that asks the list and show routes for the daemon's own jobs too. */
    public static final String INTERNAL_QUERY_PARAMETER = "internal";

    private final String wireName;
    private final int defaultMaxAttempts;
    private final boolean v1;

    JobKind(String wireName, int defaultMaxAttempts, boolean v1) {
        this.wireName = wireName;
        this.defaultMaxAttempts = defaultMaxAttempts;
        this.v1 = v1;
    }

    public String wireName() {
        return wireName;
    }

    public int defaultMaxAttempts() {
        return defaultMaxAttempts;
    }

    /** Whether this is one of v1's kinds, which bots enqueue and every v1 client can read. */
    public boolean isV1() {
        return v1;
    }

    /** Parses a kind a request enqueues: one of v1's. */
    public static JobKind parse(String field, String value) {
        for (JobKind kind : values()) {
            if (kind.v1 && kind.wireName.equals(value)) {
                return kind;
            }
        }
        throw new InvalidInputException(field, "one of " + CHOICES, value);
    }

    /** Checks a kind a request filters by: any kind, v1's or the daemon's own. */
    public static String parseListable(String field, String value) {
        if (!LISTABLE.contains(value)) {
            throw new InvalidInputException(field, "one of " + String.join("|", LISTABLE), value);
        }
        return value;
    }

    /** Whether the stored kind {@code wireName} is not one of v1's (the daemon's own, or unknown). */
    public static boolean isInternal(String wireName) {
        return Arrays.stream(values()).noneMatch(kind -> kind.v1 && kind.wireName.equals(wireName));
    }

    /** The v1 kinds' wire names. */
    public static Set<String> v1Names() {
        return Arrays.stream(values()).filter(JobKind::isV1).map(JobKind::wireName).collect(Collectors.toUnmodifiableSet());
    }
}
