package clf.hetzner.internal.sim;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Hetzner's {@code sort} parameter: {@code field}, {@code field:asc} or {@code field:desc}, may
 * repeat (earlier ones win); without it lists are ordered by id. The fields an endpoint accepts
 * are the OpenAPI file's enum for that endpoint; anything else is refused as invalid_input.
 */
final class Sorting {
    private Sorting() {
    }

    static <T> List<T> sort(SimQuery query, List<T> items, Map<String, Comparator<T>> fields) {
        List<String> values = query.all("sort");
        if (values.isEmpty()) {
            return items;
        }
        Comparator<T> order = null;
        for (String value : values) {
            int colon = value.indexOf(':');
            String field = colon < 0 ? value : value.substring(0, colon);
            String direction = colon < 0 ? "asc" : value.substring(colon + 1);
            Comparator<T> comparator = fields.get(field);
            if (comparator == null || !(direction.equals("asc") || direction.equals("desc"))) {
                throw SimError.invalidInput("sort", "invalid sort '" + value + "'; expected one of "
                        + String.join(", ", fields.keySet()) + ", optionally with :asc or :desc");
            }
            Comparator<T> directed = direction.equals("desc") ? comparator.reversed() : comparator;
            order = order == null ? directed : order.thenComparing(directed);
        }
        List<T> sorted = new ArrayList<>(items);
        sorted.sort(order);
        return sorted;
    }
}
