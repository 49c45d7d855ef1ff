package clf.hetzner.internal;

import clf.hetzner.Firewall;
import clf.hetzner.FirewallRule;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Maps the API's {@code firewall} and {@code rule} objects. */
public final class FirewallJson {
    private FirewallJson() {
    }

    public static Firewall from(Map<String, Object> json) {
        List<FirewallRule> rules = Json.array(json, "rules").stream().map(FirewallJson::rule).toList();
        return new Firewall(Json.integer(json, "id"), Json.string(json, "name"), Json.stringMap(json, "labels"), rules);
    }

    /** The firewall of a {@code {"firewall": …}} answer. */
    public static Firewall fromEnvelope(Map<String, Object> json) {
        return from(Json.object(json, "firewall"));
    }

    @SuppressWarnings("unchecked")
    static FirewallRule rule(Object value) {
        if (!(value instanceof Map)) {
            throw new JsonShapeException("a rule is not an object");
        }
        Map<String, Object> json = (Map<String, Object>) value;
        try {
            return new FirewallRule(
                    FirewallRule.Direction.fromWire(Json.string(json, "direction")),
                    FirewallRule.Protocol.fromWire(Json.string(json, "protocol")),
                    Json.optString(json, "port"),
                    strings(json, "source_ips"),
                    strings(json, "destination_ips"),
                    Json.optString(json, "description"));
        } catch (IllegalArgumentException e) {
            throw new JsonShapeException("a rule has an unknown direction or protocol");
        }
    }

    /** A {@code rule} for requests: empty optional fields are left out rather than sent empty. */
    public static Map<String, Object> toJson(FirewallRule rule) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("direction", rule.direction().wire());
        json.put("protocol", rule.protocol().wire());
        if (rule.port() != null) {
            json.put("port", rule.port());
        }
        if (!rule.sourceIps().isEmpty()) {
            json.put("source_ips", rule.sourceIps());
        }
        if (!rule.destinationIps().isEmpty()) {
            json.put("destination_ips", rule.destinationIps());
        }
        if (rule.description() != null) {
            json.put("description", rule.description());
        }
        return json;
    }

    public static List<Map<String, Object>> toJson(List<FirewallRule> rules) {
        return rules.stream().map(FirewallJson::toJson).toList();
    }

    private static List<String> strings(Map<String, Object> json, String key) {
        if (json.get(key) == null) {
            return List.of();
        }
        return Json.array(json, key).stream().map(item -> {
            if (!(item instanceof String)) {
                throw new JsonShapeException("'" + key + "' holds a non-string");
            }
            return (String) item;
        }).toList();
    }
}
