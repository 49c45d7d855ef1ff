package clf.hetzner.internal;

import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/** Builds label selectors. Valid label keys and values need no quoting in the selector language. */
public final class Selectors {
    private Selectors() {
    }

    /** {@code k1=v1,k2=v2} (keys sorted, so the same labels give the same query), or "" for none. */
    public static String allEqual(Map<String, String> labels) {
        StringJoiner selector = new StringJoiner(",");
        new TreeMap<>(labels).forEach((key, value) -> selector.add(key + "=" + value));
        return selector.toString();
    }
}
