package clf.hetzner.internal.sim;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /ssh_keys}: a simulated project has no SSH keys (clf's cattle get access through
 * cloud-init, not Hetzner keys), so the list is empty; its parameters are still checked as the
 * API checks them (sort fields, label selector, paging).
 */
final class SshKeysEndpoint {
    private static final Map<String, Comparator<Object>> SORT = new LinkedHashMap<>();

    static {
        for (String field : List.of("id", "name")) {
            SORT.put(field, (a, b) -> 0);
        }
    }

    private final Faults faults;

    SshKeysEndpoint(Faults faults) {
        this.faults = faults;
    }

    SimResponse list(SimQuery query) {
        query.selector();
        List<Object> none = Sorting.sort(query, List.of(), SORT);
        return SimResponse.of(200, Paging.page(query, "ssh_keys", none, key -> Map.of(), faults.stuckPagination()));
    }
}
