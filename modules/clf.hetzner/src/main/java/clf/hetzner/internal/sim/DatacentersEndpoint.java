package clf.hetzner.internal.sim;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /datacenters} (filter {@code name}, {@code sort} by id or name) and
 * {@code GET /datacenters/{id}}: one data center per location, listing the server types sold
 * there; a type past its {@code unavailable_after} is supported but no longer available.
 */
final class DatacentersEndpoint {
    private static final Map<String, Comparator<SimCatalog.Location>> SORT = new LinkedHashMap<>();

    static {
        SORT.put("id", Comparator.comparingLong(SimCatalog.Location::datacenterId));
        SORT.put("name", Comparator.comparing(SimCatalog.Location::datacenterName));
    }

    private final ServerTypeCatalog types;
    private final SimState state;
    private final Faults faults;

    DatacentersEndpoint(ServerTypeCatalog types, SimState state, Faults faults) {
        this.types = types;
        this.state = state;
        this.faults = faults;
    }

    SimResponse list(SimQuery query) {
        String name = query.first("name");
        List<SimCatalog.Location> matching = SimCatalog.LOCATIONS.stream()
                .filter(location -> name == null || name.isEmpty() || location.datacenterName().equals(name))
                .sorted(SORT.get("id"))
                .toList();
        Map<String, Object> page = new LinkedHashMap<>(Paging.page(query, "datacenters", Sorting.sort(query, matching, SORT),
                this::render, faults.stuckPagination()));
        // Required by the list schema: the data center "recommended" for new servers.
        page.put("recommendation", SimCatalog.location(SimCatalog.DEFAULT_LOCATION).orElseThrow().datacenterId());
        return SimResponse.of(200, page);
    }

    SimResponse get(long id) {
        SimCatalog.Location location = SimCatalog.datacenterById(id)
                .orElseThrow(() -> SimError.notFound("datacenter with ID " + id + " not found"));
        return SimResponse.of(200, Map.of("datacenter", render(location)));
    }

    private Map<String, Object> render(SimCatalog.Location location) {
        List<ServerTypeCatalog.ServerType> sold = ServerTypeCatalog.TYPES.stream()
                .filter(type -> type.locations().contains(location.name()))
                .toList();
        List<Long> supported = sold.stream().map(ServerTypeCatalog.ServerType::id).sorted().toList();
        List<Long> available = sold.stream()
                .filter(type -> {
                    Deprecation deprecation = types.deprecation(type.name());
                    return deprecation == null || !deprecation.unavailableAt(state.now());
                })
                .map(ServerTypeCatalog.ServerType::id).sorted().toList();
        return CatalogRender.datacenter(location, supported, available);
    }
}
