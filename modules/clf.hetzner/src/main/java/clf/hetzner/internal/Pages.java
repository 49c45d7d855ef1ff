package clf.hetzner.internal;

import clf.hetzner.HetznerResponseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Reads every page of a list call: {@code page=1,2,…} with {@code per_page}, following
 * {@code meta.pagination.next_page} until it is null or absent. A next page that does not move
 * forward would loop forever, so it is an error rather than a partial list: callers count and reap
 * servers from these lists, and a silently short list is worse than a failed call.
 */
public final class Pages {
    /** 50 per page × 2000 pages = 100,000 items; beyond that something is wrong. */
    private static final int MAX_PAGES = 2000;

    private Pages() {
    }

    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> all(HttpCaller caller, ApiCall call, String itemsKey, int pageSize) {
        // Keyed by id: offset pages shift when items are created or deleted between two requests.
        Map<Object, Map<String, Object>> items = new LinkedHashMap<>();
        long page = 1;
        for (int fetched = 1; ; fetched++) {
            Map<String, String> paging = new LinkedHashMap<>();
            paging.put("page", Long.toString(page));
            paging.put("per_page", Integer.toString(pageSize));
            ApiCall pageCall = call.withQuery(paging);
            HttpCaller.Answer answer = caller.send(pageCall);
            final long current = page;
            OptionalLong next = Decode.body(pageCall, answer.body(), json -> {
                for (Object item : Json.array(json, itemsKey)) {
                    if (!(item instanceof Map)) {
                        throw new JsonShapeException("'" + itemsKey + "' holds a non-object");
                    }
                    Map<String, Object> object = (Map<String, Object>) item;
                    items.put(object.get("id"), object);
                }
                Map<String, Object> meta = Json.optObject(json, "meta");
                Map<String, Object> pagination = meta == null ? null : Json.optObject(meta, "pagination");
                return pagination == null ? OptionalLong.empty() : Json.optInteger(pagination, "next_page");
            });
            if (next.isEmpty()) {
                return new ArrayList<>(items.values());
            }
            if (next.getAsLong() <= current) {
                throw new HetznerResponseException(pageCall.method(), pageCall.display(),
                        "pagination does not advance: page " + current + " names next_page " + next.getAsLong());
            }
            if (fetched >= MAX_PAGES) {
                throw new HetznerResponseException(pageCall.method(), pageCall.display(),
                        "more than " + MAX_PAGES + " pages");
            }
            page = next.getAsLong();
        }
    }
}
