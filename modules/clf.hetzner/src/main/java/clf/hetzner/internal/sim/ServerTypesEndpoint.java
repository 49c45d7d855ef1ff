package clf.hetzner.internal.sim;

import java.util.List;
import java.util.Map;

/** {@code GET /server_types} (filter {@code name}; the API offers no sort here) and {@code GET /server_types/{id}}. */
final class ServerTypesEndpoint {
    private final ServerTypeCatalog catalog;
    private final Faults faults;

    ServerTypesEndpoint(ServerTypeCatalog catalog, Faults faults) {
        this.catalog = catalog;
        this.faults = faults;
    }

    SimResponse list(SimQuery query) {
        String name = query.first("name");
        // Deprecated types stay listed with their deprecation, as cx11 was on the real API long
        // after it could no longer be ordered; clients show the deprecation from these answers.
        List<ServerTypeCatalog.ServerType> matching = ServerTypeCatalog.TYPES.stream()
                .filter(type -> name == null || name.isEmpty() || type.name().equals(name))
                .sorted(java.util.Comparator.comparingLong(ServerTypeCatalog.ServerType::id))
                .toList();
        return SimResponse.of(200, Paging.page(query, "server_types", matching, this::render, faults.stuckPagination()));
    }

    SimResponse get(long id) {
        ServerTypeCatalog.ServerType type = ServerTypeCatalog.byId(id)
                .orElseThrow(() -> SimError.notFound("server type with ID " + id + " not found"));
        return SimResponse.of(200, Map.of("server_type", render(type)));
    }

    private Map<String, Object> render(ServerTypeCatalog.ServerType type) {
        return CatalogRender.serverType(type, catalog.deprecation(type.name()));
    }
}
