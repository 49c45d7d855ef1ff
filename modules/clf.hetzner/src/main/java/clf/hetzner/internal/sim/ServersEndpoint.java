package clf.hetzner.internal.sim;

import clf.hetzner.sim.SimListener;
import clf.hetzner.sim.SimServer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code GET/POST /servers} and {@code GET/PUT/DELETE /servers/{id}}. Lists filter by
 * {@code name}, {@code label_selector} and {@code status} (checked against the API's statuses)
 * and {@code sort} by id, name or created.
 */
final class ServersEndpoint {
    private static final List<String> STATUSES = List.of("running", "initializing", "starting", "stopping", "off",
            "deleting", "migrating", "rebuilding", "unknown");
    private static final Map<String, Comparator<SimServer>> SORT = new LinkedHashMap<>();

    static {
        SORT.put("id", Comparator.comparingLong(SimServer::id));
        SORT.put("name", Comparator.comparing(SimServer::name));
        SORT.put("created", Comparator.comparing(SimServer::created));
    }

    private final SimState state;
    private final ServerTypeCatalog types;
    private final ImageCatalog images;
    private final SimActions actions;
    private final ServerRequest requests;
    private final Faults faults;
    private final List<SimListener> listeners;

    ServersEndpoint(SimState state, ServerTypeCatalog types, ImageCatalog images, SimActions actions, Faults faults,
                    List<SimListener> listeners) {
        this.state = state;
        this.types = types;
        this.images = images;
        this.actions = actions;
        this.requests = new ServerRequest(types, images);
        this.faults = faults;
        this.listeners = listeners;
    }

    SimResponse list(SimQuery query) {
        LabelSelector selector = query.selector();
        String name = query.first("name");
        List<String> statuses = query.oneOf("status", STATUSES);
        List<SimServer> matching = state.servers().stream()
                .filter(server -> name == null || name.isEmpty() || server.name().equals(name))
                .filter(server -> selector.matches(server.labels()))
                .filter(server -> statuses.isEmpty() || statuses.contains(server.status()))
                .toList();
        return SimResponse.of(200, Paging.page(query, "servers", Sorting.sort(query, matching, SORT), this::render,
                faults.stuckPagination()));
    }

    SimResponse get(long id) {
        return SimResponse.of(200, Map.of("server", render(existing(id))));
    }

    SimResponse create(Map<String, Object> body) {
        SimState.NewServer spec = requests.parse(body, state.now());
        SimServer server = state.createServer(spec);
        Instant ready = state.readyAt(server.id());
        List<Map<String, Object>> resource = List.of(SimRender.resource(server.id(), "server"));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("server", render(server));
        json.put("action", actions.start("create_server", ready, resource));
        List<Map<String, Object>> next = new ArrayList<>();
        if (spec.startAfterCreate()) {
            next.add(actions.start("start_server", ready, resource));
        }
        json.put("next_actions", next);
        // Without ssh_keys Hetzner generates a root password (clf discards it).
        json.put("root_password", "sim-" + UUID.randomUUID().toString().substring(0, 12));
        return new SimResponse(201, json, List.of(() -> listeners.forEach(l -> l.serverCreated(server))));
    }

    /** Seeds a server without HTTP, through the same checks and events. */
    SimServer seed(Map<String, Object> body) {
        SimServer server = state.createServer(requests.parse(body, state.now()));
        listeners.forEach(l -> l.serverCreated(server));
        return server;
    }

    /** {@code PUT /servers/{id}}: a new name and/or labels (labels replace the old ones). */
    SimResponse update(long id, Map<String, Object> body) {
        existing(id);
        String name = body.containsKey("name") ? SimChecks.serverName(body) : null;
        Map<String, String> labels = body.containsKey("labels") ? SimChecks.labels(body) : null;
        SimServer server = state.updateServer(id, name, labels);
        return SimResponse.of(200, Map.of("server", render(server)));
    }

    SimResponse delete(long id) {
        SimState.Deletion deletion = state.deleteServer(id);
        SimServer server = deletion.server();
        Map<String, Object> action = actions.start("delete_server", deletion.goneAt(),
                List.of(SimRender.resource(id, "server")));
        return new SimResponse(200, Map.of("action", action), List.of(() -> listeners.forEach(l -> l.serverDeleted(server))));
    }

    private SimServer existing(long id) {
        return state.server(id).orElseThrow(() -> SimError.notFound("server with ID " + id + " not found"));
    }

    private Map<String, Object> render(SimServer server) {
        ServerTypeCatalog.ServerType type = ServerTypeCatalog.byName(server.serverType()).orElseThrow();
        ImageCatalog.Image image = images.byReference(server.image(), type.architecture()).orElseThrow();
        SimCatalog.Location location = SimCatalog.location(server.location()).orElseThrow();
        return SimRender.server(server, CatalogRender.serverType(type, types.deprecation(type.name())),
                CatalogRender.image(image), location, type.disk());
    }
}
