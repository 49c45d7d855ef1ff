package clf.hetzner.internal.sim;

import clf.hetzner.FirewallRule;
import clf.hetzner.sim.SimFirewall;
import clf.hetzner.sim.SimServer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The API's objects as JSON-ready maps. Every field a schema marks {@code required} is present
 * (nullable ones as null), because that is what the real API sends and what clients may rely on;
 * the tests validate these shapes against the OpenAPI file.
 */
final class SimRender {
    private SimRender() {
    }

    static String time(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** A server with its type, image and location already rendered from the catalogues. */
    static Map<String, Object> server(SimServer server, Map<String, Object> serverType, Map<String, Object> image,
                                      SimCatalog.Location location, int disk) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", server.id());
        json.put("name", server.name());
        json.put("status", server.status());
        json.put("created", time(server.created()));
        json.put("public_net", publicNet(server));
        json.put("private_net", List.of());
        json.put("server_type", serverType);
        json.put("datacenter", datacenter(location));
        json.put("location", CatalogRender.location(location));
        json.put("image", image);
        json.put("iso", null);
        json.put("rescue_enabled", false);
        json.put("locked", false);
        json.put("backup_window", null);
        json.put("outgoing_traffic", 0);
        json.put("ingoing_traffic", 0);
        json.put("included_traffic", location.includedTraffic());
        json.put("protection", Map.of("delete", false, "rebuild", false));
        json.put("labels", server.labels());
        json.put("volumes", List.of());
        json.put("load_balancers", List.of());
        json.put("primary_disk_size", disk);
        json.put("placement_group", null);
        return json;
    }

    private static Map<String, Object> publicNet(SimServer server) {
        Map<String, Object> ipv4 = new LinkedHashMap<>();
        ipv4.put("id", server.id() * 10 + 4);
        ipv4.put("ip", server.ipv4());
        ipv4.put("blocked", false);
        ipv4.put("dns_ptr", "static." + server.ipv4() + ".clients.your-server.de");
        Map<String, Object> ipv6 = new LinkedHashMap<>();
        ipv6.put("id", server.id() * 10 + 6);
        ipv6.put("ip", server.ipv6());
        ipv6.put("blocked", false);
        ipv6.put("dns_ptr", List.of());
        List<Map<String, Object>> firewalls = new ArrayList<>();
        for (Long id : server.firewallIds()) {
            firewalls.add(Map.of("id", id, "status", "applied"));
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("ipv4", ipv4);
        json.put("ipv6", ipv6);
        json.put("floating_ips", List.of());
        json.put("firewalls", firewalls);
        return json;
    }

    /** The server's data center; its server-type lists are left empty here (GET /datacenters fills them). */
    private static Map<String, Object> datacenter(SimCatalog.Location location) {
        return CatalogRender.datacenter(location, List.of(), List.of());
    }

    static Map<String, Object> resource(long id, String type) {
        return Map.of("id", id, "type", type);
    }

    static Map<String, Object> firewall(SimFirewall firewall) {
        List<Map<String, Object>> applied = new ArrayList<>();
        for (Long serverId : firewall.appliedTo()) {
            applied.add(Map.of("type", "server", "server", Map.of("id", serverId)));
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", firewall.id());
        json.put("name", firewall.name());
        json.put("labels", firewall.labels());
        json.put("created", time(firewall.created()));
        json.put("rules", firewall.rules().stream().map(SimRender::rule).toList());
        json.put("applied_to", applied);
        return json;
    }

    private static Map<String, Object> rule(FirewallRule rule) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("direction", rule.direction().wire());
        json.put("protocol", rule.protocol().wire());
        json.put("port", rule.port());
        json.put("source_ips", rule.sourceIps());
        json.put("destination_ips", rule.destinationIps());
        json.put("description", rule.description());
        return json;
    }

    static Map<String, Object> meta(long page, long perPage, long total, boolean stuck) {
        long lastPage = Math.max(1, (total + perPage - 1) / perPage);
        Map<String, Object> pagination = new LinkedHashMap<>();
        pagination.put("page", page);
        pagination.put("per_page", perPage);
        pagination.put("previous_page", page > 1 ? page - 1 : null);
        // A stuck pagination (injected fault) names the current page as the next one.
        pagination.put("next_page", page < lastPage ? (stuck ? page : page + 1) : null);
        pagination.put("last_page", lastPage);
        pagination.put("total_entries", total);
        return Map.of("pagination", pagination);
    }

    static Map<String, Object> error(String code, String message, Map<String, Object> details) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        error.put("details", details);
        return Map.of("error", error);
    }
}
