package clf.hetzner.internal.sim;

import java.util.List;
import java.util.Map;

/** Cuts a list into the page a request asked for; {@code per_page} is capped at 50 as by the API. */
final class Paging {
    static final long DEFAULT_PER_PAGE = 25;
    static final long MAX_PER_PAGE = 50;

    private Paging() {
    }

    static <T> Map<String, Object> page(SimQuery query, String key, List<T> all,
                                        java.util.function.Function<T, Map<String, Object>> render, boolean stuck) {
        long page = query.positive("page", 1);
        long perPage = Math.min(MAX_PER_PAGE, query.positive("per_page", DEFAULT_PER_PAGE));
        // Compare before multiplying: a huge page number must not overflow into a negative offset.
        long from = page - 1 > all.size() ? all.size() : Math.min(all.size(), (page - 1) * perPage);
        long to = Math.min(all.size(), from + perPage);
        List<Map<String, Object>> items = all.subList((int) from, (int) to).stream().map(render).toList();
        return Map.of(key, items, "meta", SimRender.meta(page, perPage, all.size(), stuck));
    }
}
