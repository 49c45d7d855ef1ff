package clf.hetzner.internal.sim;

import clf.hetzner.sim.SimListener;
import clf.hetzner.sim.SimServer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** {@code GET/POST /servers} and {@code GET/DELETE /servers/{id}}. */
final class ServersEndpoint {
    private final SimState state;
    private final Faults faults;
    private final List<SimListener> listeners;

    ServersEndpoint(SimState state, Faults faults, List<SimListener> listeners) {
        this.state = state;
        this.faults = faults;
        this.listeners = listeners;
    }

    SimResponse list(SimQuery query) {
        LabelSelector selector = query.selector();
        String name = query.first("name");
        Set<String> statuses = Set.copyOf(query.all("status"));
        List<SimServer> matching = state.servers().stream()
                .filter(server -> name == null || name.isEmpty() || server.name().equals(name))
                .filter(server -> selector.matches(server.labels()))
                .filter(server -> statuses.isEmpty() || statuses.contains(server.status()))
                .toList();
        return SimResponse.of(200, Paging.page(query, "servers", matching, SimRender::server, faults.stuckPagination()));
    }

    SimResponse get(long id) {
        SimServer server = state.server(id).orElseThrow(() -> SimError.notFound("server with ID " + id + " not found"));
        return SimResponse.of(200, Map.of("server", SimRender.server(server)));
    }

    SimResponse create(Map<String, Object> body) {
        SimState.NewServer spec = parse(body);
        SimServer server = state.createServer(spec);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("server", SimRender.server(server));
        json.put("action", SimRender.action(state.nextActionId(), "create_server", "running", state.now(),
                List.of(SimRender.resource(server.id(), "server"))));
        List<Map<String, Object>> next = new ArrayList<>();
        if (spec.startAfterCreate()) {
            next.add(SimRender.action(state.nextActionId(), "start_server", "running", state.now(),
                    List.of(SimRender.resource(server.id(), "server"))));
        }
        json.put("next_actions", next);
        // Without ssh_keys Hetzner generates a root password (clf discards it).
        json.put("root_password", "sim-" + UUID.randomUUID().toString().substring(0, 12));
        return new SimResponse(201, json, List.of(() -> listeners.forEach(l -> l.serverCreated(server))));
    }

    /** Seeds a server without HTTP, through the same checks and events. */
    SimServer seed(Map<String, Object> body) {
        SimServer server = state.createServer(parse(body));
        listeners.forEach(l -> l.serverCreated(server));
        return server;
    }

    SimResponse delete(long id) {
        SimServer server = state.deleteServer(id);
        Map<String, Object> action = SimRender.action(state.nextActionId(), "delete_server", "running", state.now(),
                List.of(SimRender.resource(id, "server")));
        return new SimResponse(200, Map.of("action", action), List.of(() -> listeners.forEach(l -> l.serverDeleted(server))));
    }

    /** The checks of {@code create_server}, in the order the API reports them. */
    private static SimState.NewServer parse(Map<String, Object> body) {
        String name = SimChecks.serverName(body);
        String serverType = SimChecks.requiredString(body, "server_type");
        String image = SimChecks.requiredString(body, "image");
        String location = SimChecks.optionalString(body, "location");
        if (location == null) {
            location = SimCatalog.DEFAULT_LOCATION;
        } else if (SimCatalog.location(location).isEmpty()) {
            throw SimError.invalidInput("location", "location '" + location + "' not found");
        }
        String userData = SimChecks.optionalString(body, "user_data");
        SimChecks.userData(userData);
        Map<String, String> labels = SimChecks.labels(body);
        List<Long> firewallIds = new ArrayList<>();
        for (Object item : SimChecks.optionalArray(body, "firewalls")) {
            if (!(item instanceof Map)) {
                throw SimError.invalidInput("firewalls", "items must be objects like {\"firewall\": 42}");
            }
            firewallIds.add(SimChecks.integer(((Map<?, ?>) item).get("firewall"), "firewalls"));
        }
        Object start = body.get("start_after_create");
        if (start != null && !(start instanceof Boolean)) {
            throw SimError.invalidInput("start_after_create", "must be a boolean");
        }
        return new SimState.NewServer(name, serverType, image, location, userData, labels, firewallIds,
                start == null || (Boolean) start);
    }
}
