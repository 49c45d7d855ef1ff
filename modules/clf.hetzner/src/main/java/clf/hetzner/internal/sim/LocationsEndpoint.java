package clf.hetzner.internal.sim;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code GET /locations} (filter {@code name}, {@code sort} by id or name) and {@code GET /locations/{id}}. */
final class LocationsEndpoint {
    static final Map<String, Comparator<SimCatalog.Location>> SORT = new LinkedHashMap<>();

    static {
        SORT.put("id", Comparator.comparingLong(SimCatalog.Location::id));
        SORT.put("name", Comparator.comparing(SimCatalog.Location::name));
    }

    private final Faults faults;

    LocationsEndpoint(Faults faults) {
        this.faults = faults;
    }

    SimResponse list(SimQuery query) {
        String name = query.first("name");
        List<SimCatalog.Location> matching = SimCatalog.LOCATIONS.stream()
                .filter(location -> name == null || name.isEmpty() || location.name().equals(name))
                .toList();
        return SimResponse.of(200, Paging.page(query, "locations", Sorting.sort(query, matching, SORT),
                CatalogRender::location, faults.stuckPagination()));
    }

    SimResponse get(long id) {
        SimCatalog.Location location = SimCatalog.locationById(id)
                .orElseThrow(() -> SimError.notFound("location with ID " + id + " not found"));
        return SimResponse.of(200, Map.of("location", CatalogRender.location(location)));
    }
}
