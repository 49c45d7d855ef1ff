package clf.server.protocol;

import clf.queue.InvalidInputException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The kinds of job the daemon enqueues for itself, beside v1's {@link JobKind}s. v1 clients
 * know only v1's kinds (the original CLI exits 2 on any other), so the v1 routes leave these out
 * unless a request names the kind ({@code kind=clf.prune}) or asks for every kind with
 * {@code internal=1}, as this CLI does. Nobody can enqueue them over the API.
 */
public final class InternalKinds {
    /** Deletes long-ended jobs and spent bootstrap tokens, once a day. */
    public static final String PRUNE = "clf.prune";

    /** Every internal kind; a new one must be added here, so that it can be listed by name. */
    public static final List<String> ALL = List.of(PRUNE);

    /** Every kind a request may filter by: v1's, then these. */
    public static final List<String> LISTABLE = listable();

    /** The query parameter that asks the list and show routes for internal jobs too. */
    public static final String QUERY_PARAMETER = "internal";

    private InternalKinds() {
    }

    public static boolean isInternal(String kind) {
        return !isV1(kind);
    }

    /** Whether {@code kind} is one of v1's, which every v1 client can read. */
    public static boolean isV1(String kind) {
        return Arrays.stream(JobKind.values()).anyMatch(k -> k.wireName().equals(kind));
    }

    /** Checks a kind a request filters by: v1's or the daemon's own. */
    public static String parseListable(String field, String value) {
        if (!LISTABLE.contains(value)) {
            throw new InvalidInputException(field, "one of " + String.join("|", LISTABLE), value);
        }
        return value;
    }

    /** The v1 kinds' wire names. */
    public static Set<String> v1() {
        return Set.copyOf(Arrays.stream(JobKind.values()).map(JobKind::wireName).toList());
    }

    private static List<String> listable() {
        List<String> kinds = new ArrayList<>();
        Arrays.stream(JobKind.values()).forEach(kind -> kinds.add(kind.wireName()));
        kinds.addAll(ALL);
        return List.copyOf(kinds);
    }
}
