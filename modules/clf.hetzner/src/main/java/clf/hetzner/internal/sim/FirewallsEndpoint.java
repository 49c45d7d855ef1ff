package clf.hetzner.internal.sim;

import clf.hetzner.FirewallRule;
import clf.hetzner.sim.SimFirewall;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code GET/POST /firewalls} (list sorted by id, name or created), {@code GET /firewalls/{id}} and {@code POST …/actions/set_rules}. */
final class FirewallsEndpoint {
    private static final int MAX_RULES = 50;
    private static final Map<String, java.util.Comparator<SimFirewall>> SORT = new LinkedHashMap<>();

    static {
        SORT.put("id", java.util.Comparator.comparingLong(SimFirewall::id));
        SORT.put("name", java.util.Comparator.comparing(SimFirewall::name));
        SORT.put("created", java.util.Comparator.comparing(SimFirewall::created));
    }

    private final SimState state;
    private final SimActions actions;
    private final Faults faults;

    FirewallsEndpoint(SimState state, SimActions actions, Faults faults) {
        this.state = state;
        this.actions = actions;
        this.faults = faults;
    }

    SimResponse list(SimQuery query) {
        LabelSelector selector = query.selector();
        String name = query.first("name");
        List<SimFirewall> matching = state.firewalls().stream()
                .filter(firewall -> name == null || name.isEmpty() || firewall.name().equals(name))
                .filter(firewall -> selector.matches(firewall.labels()))
                .toList();
        return SimResponse.of(200, Paging.page(query, "firewalls", Sorting.sort(query, matching, SORT), SimRender::firewall,
                faults.stuckPagination()));
    }

    SimResponse get(long id) {
        SimFirewall firewall = state.firewall(id)
                .orElseThrow(() -> SimError.notFound("firewall with ID " + id + " not found"));
        return SimResponse.of(200, Map.of("firewall", SimRender.firewall(firewall)));
    }

    SimResponse create(Map<String, Object> body) {
        String name = SimChecks.requiredString(body, "name");
        Map<String, String> labels = SimChecks.labels(body);
        List<FirewallRule> rules = rules(body, false);
        if (!SimChecks.optionalArray(body, "apply_to").isEmpty()) {
            throw SimError.invalidInput("apply_to", "not supported by the simulator");
        }
        SimFirewall firewall = state.createFirewall(name, labels, rules);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("firewall", SimRender.firewall(firewall));
        json.put("actions", List.of());
        return SimResponse.of(201, json);
    }

    SimResponse setRules(long id, Map<String, Object> body) {
        List<FirewallRule> rules = rules(body, true);
        SimFirewall firewall = state.setRules(id, rules);
        // Rules reach the servers within a moment; the actions say so for a second.
        java.time.Instant done = state.now().plusSeconds(1);
        List<Map<String, Object>> started = new ArrayList<>();
        started.add(actions.start("set_firewall_rules", done, List.of(SimRender.resource(id, "firewall"))));
        for (Long serverId : firewall.appliedTo()) {
            started.add(actions.start("apply_firewall", done,
                    List.of(SimRender.resource(id, "firewall"), SimRender.resource(serverId, "server"))));
        }
        return SimResponse.of(201, Map.of("actions", started));
    }

    private static List<FirewallRule> rules(Map<String, Object> body, boolean required) {
        if (required && !body.containsKey("rules")) {
            throw SimError.invalidInput("rules", "is missing");
        }
        List<Object> items = SimChecks.optionalArray(body, "rules");
        if (items.size() > MAX_RULES) {
            throw SimError.invalidInput("rules", "at most " + MAX_RULES + " rules");
        }
        List<FirewallRule> rules = new ArrayList<>();
        for (Object item : items) {
            if (!(item instanceof Map)) {
                throw SimError.invalidInput("rules", "items must be objects");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> rule = (Map<String, Object>) item;
            rules.add(rule(rule));
        }
        return rules;
    }

    /** The API's rule checks: direction and protocol known, port only and always for tcp/udp, IPs per direction. */
    private static FirewallRule rule(Map<String, Object> json) {
        FirewallRule.Direction direction;
        FirewallRule.Protocol protocol;
        try {
            direction = FirewallRule.Direction.fromWire(SimChecks.requiredString(json, "direction"));
            protocol = FirewallRule.Protocol.fromWire(SimChecks.requiredString(json, "protocol"));
        } catch (IllegalArgumentException e) {
            throw SimError.invalidInput("rules", "unknown direction or protocol");
        }
        String port = SimChecks.optionalString(json, "port");
        boolean ported = protocol == FirewallRule.Protocol.TCP || protocol == FirewallRule.Protocol.UDP;
        if (ported != (port != null && !port.isEmpty())) {
            throw SimError.invalidInput("rules", ported ? "port is required for tcp and udp" : "port is only for tcp and udp");
        }
        if (port != null && !port.matches("\\d{1,5}(-\\d{1,5})?|any")) {
            throw SimError.invalidInput("rules", "invalid port '" + port + "'");
        }
        List<String> sources = cidrs(json, "source_ips");
        List<String> destinations = cidrs(json, "destination_ips");
        boolean inbound = direction == FirewallRule.Direction.IN;
        if (inbound ? sources.isEmpty() || !destinations.isEmpty() : destinations.isEmpty() || !sources.isEmpty()) {
            throw SimError.invalidInput("rules", inbound ? "direction in takes source_ips only"
                    : "direction out takes destination_ips only");
        }
        String description = SimChecks.optionalString(json, "description");
        if (description != null && description.length() > 255) {
            throw SimError.invalidInput("rules", "description is longer than 255 characters");
        }
        return new FirewallRule(direction, protocol, port, sources, destinations, description);
    }

    private static List<String> cidrs(Map<String, Object> json, String field) {
        List<String> result = new ArrayList<>();
        for (Object item : SimChecks.optionalArray(json, field)) {
            if (!(item instanceof String) || !((String) item).contains("/")) {
                throw SimError.invalidInput("rules", field + " must hold CIDR blocks such as 0.0.0.0/0");
            }
            result.add((String) item);
        }
        if (result.size() > 100) {
            throw SimError.invalidInput("rules", field + " holds more than 100 CIDR blocks");
        }
        return result;
    }
}
