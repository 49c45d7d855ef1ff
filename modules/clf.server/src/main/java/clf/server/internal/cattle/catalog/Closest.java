package clf.server.internal.cattle.catalog;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** The names nearest to a mistyped one (edit distance), for "did you mean" in error messages. */
final class Closest {
    private Closest() {
    }

    /** Up to {@code limit} of {@code names} nearest to {@code wanted}, nearest first, ties by name. */
    static List<String> to(String wanted, Collection<String> names, int limit) {
        String target = wanted.toLowerCase(Locale.ROOT);
        return names.stream().distinct()
                .sorted(Comparator.comparingInt((String name) -> distance(target, name.toLowerCase(Locale.ROOT)))
                        .thenComparing(Comparator.naturalOrder()))
                .limit(limit)
                .toList();
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
