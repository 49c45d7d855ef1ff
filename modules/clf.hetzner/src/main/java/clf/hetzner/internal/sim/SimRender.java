package clf.hetzner.internal.sim;

import clf.hetzner.FirewallRule;
import clf.hetzner.sim.SimFirewall;
import clf.hetzner.sim.SimServer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The API's objects as JSON-ready maps. Every field a schema marks {@code required} is present
 * (nullable ones as null), because that is what the real API sends and what clients may rely on;
 * the tests validate these shapes against the OpenAPI file.
 */
final class SimRender {
    private static final String IMAGE_EPOCH = "2024-01-01T00:00:00Z";

    private SimRender() {
    }

    static String time(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    static Map<String, Object> server(SimServer server) {
        SimCatalog.Location location = SimCatalog.location(server.location()).orElseThrow();
        String architecture = server.serverType().startsWith("cax") ? "arm" : "x86";
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", server.id());
        json.put("name", server.name());
        json.put("status", server.status());
        json.put("created", time(server.created()));
        json.put("public_net", publicNet(server));
        json.put("private_net", List.of());
        json.put("server_type", serverType(server.serverType(), architecture, location));
        json.put("datacenter", datacenter(location));
        json.put("location", location(location));
        json.put("image", image(server.image(), architecture));
        json.put("iso", null);
        json.put("rescue_enabled", false);
        json.put("locked", false);
        json.put("backup_window", null);
        json.put("outgoing_traffic", 0);
        json.put("ingoing_traffic", 0);
        json.put("included_traffic", 21_990_232_555_520L);
        json.put("protection", Map.of("delete", false, "rebuild", false));
        json.put("labels", server.labels());
        json.put("volumes", List.of());
        json.put("load_balancers", List.of());
        json.put("primary_disk_size", 40);
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

    private static Map<String, Object> serverType(String name, String architecture, SimCatalog.Location location) {
        Map<String, Object> place = new LinkedHashMap<>();
        place.put("id", location.id());
        place.put("name", location.name());
        place.put("deprecation", null);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", SimCatalog.idOf(name));
        json.put("name", name);
        json.put("description", name.toUpperCase(Locale.ROOT));
        json.put("category", "shared");
        json.put("cores", 2);
        json.put("memory", 4);
        json.put("disk", 40);
        json.put("deprecated", false);
        json.put("deprecation", null);
        json.put("cpu_type", name.startsWith("ccx") ? "dedicated" : "shared");
        json.put("architecture", architecture);
        json.put("storage_type", "local");
        json.put("locations", List.of(place));
        json.put("prices", List.of());
        return json;
    }

    private static Map<String, Object> location(SimCatalog.Location location) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", location.id());
        json.put("name", location.name());
        json.put("description", location.description());
        json.put("country", location.country());
        json.put("city", location.city());
        json.put("latitude", location.latitude());
        json.put("longitude", location.longitude());
        json.put("network_zone", location.networkZone());
        return json;
    }

    private static Map<String, Object> datacenter(SimCatalog.Location location) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", location.datacenterId());
        json.put("name", location.datacenterName());
        json.put("description", location.city() + " DC " + location.datacenterId());
        json.put("location", location(location));
        json.put("server_types", Map.of("available", List.of(), "available_for_migration", List.of(),
                "supported", List.of()));
        return json;
    }

    /** System images have a name such as {@code ubuntu-24.04}; a numeric "name" is a snapshot id. */
    private static Map<String, Object> image(String nameOrId, String architecture) {
        boolean snapshot = nameOrId.chars().allMatch(Character::isDigit);
        String flavor = nameOrId.contains("-") ? nameOrId.substring(0, nameOrId.indexOf('-')) : nameOrId;
        if (snapshot || !List.of("alma", "centos", "debian", "fedora", "opensuse", "rocky", "ubuntu").contains(flavor)) {
            flavor = "unknown";
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", snapshot ? Long.parseLong(nameOrId) : SimCatalog.idOf(nameOrId));
        json.put("type", snapshot ? "snapshot" : "system");
        json.put("status", "available");
        json.put("name", snapshot ? null : nameOrId);
        json.put("description", snapshot ? "snapshot " + nameOrId : nameOrId);
        json.put("image_size", snapshot ? 1.5 : null);
        json.put("disk_size", 5);
        json.put("created", IMAGE_EPOCH);
        json.put("created_from", null);
        json.put("bound_to", null);
        json.put("os_flavor", flavor);
        json.put("os_version", snapshot || !nameOrId.contains("-") ? null : nameOrId.substring(nameOrId.indexOf('-') + 1));
        json.put("rapid_deploy", false);
        json.put("protection", Map.of("delete", false));
        json.put("deprecated", null);
        json.put("deleted", null);
        json.put("labels", Map.of());
        json.put("architecture", architecture);
        return json;
    }

    static Map<String, Object> action(long id, String command, String status, Instant started,
                                      List<Map<String, Object>> resources) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id);
        json.put("command", command);
        json.put("status", status);
        json.put("progress", "success".equals(status) ? 100 : 0);
        json.put("started", time(started));
        json.put("finished", "success".equals(status) ? time(started) : null);
        json.put("resources", resources);
        json.put("error", null);
        return json;
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
