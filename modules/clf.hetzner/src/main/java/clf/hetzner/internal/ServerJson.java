package clf.hetzner.internal;

import clf.hetzner.Server;
import clf.hetzner.ServerSpec;
import clf.hetzner.ServerStatus;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Maps the API's {@code server} object to {@link Server} and a {@link ServerSpec} to a create body. */
public final class ServerJson {
    private ServerJson() {
    }

    public static Server from(Map<String, Object> json) {
        Map<String, Object> publicNet = Json.optObject(json, "public_net");
        Map<String, Object> ipv4 = publicNet == null ? null : Json.optObject(publicNet, "ipv4");
        Map<String, Object> type = Json.optObject(json, "server_type");
        Map<String, Object> location = Json.optObject(json, "location");
        Map<String, Object> image = Json.optObject(json, "image");
        return new Server(
                Json.integer(json, "id"),
                Json.string(json, "name"),
                ServerStatus.fromWire(Json.optString(json, "status")),
                instant(Json.string(json, "created")),
                Json.stringMap(json, "labels"),
                ipv4 == null ? "" : Json.optString(ipv4, "ip"),
                type == null ? "" : Json.optString(type, "name"),
                location == null ? "" : Json.optString(location, "name"),
                image == null ? 0 : Json.optInteger(image, "id").orElse(0));
    }

    /**
     * The {@code create_server_request}: only the fields of spec §3.9, absent ones left out so
     * that the API's defaults apply.
     */
    public static Map<String, Object> createBody(ServerSpec spec) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", spec.name());
        body.put("server_type", spec.serverType());
        body.put("image", spec.image());
        if (spec.location() != null) {
            body.put("location", spec.location());
        }
        if (spec.userData() != null) {
            body.put("user_data", spec.userData());
        }
        body.put("labels", spec.labels());
        if (!spec.firewallIds().isEmpty()) {
            body.put("firewalls", spec.firewallIds().stream().map(id -> Map.of("firewall", id)).toList());
        }
        return body;
    }

    /** The server of a {@code {"server": …}} answer. */
    public static Server fromEnvelope(Map<String, Object> json) {
        return from(Json.object(json, "server"));
    }

    public static List<Server> fromList(List<Map<String, Object>> items) {
        return items.stream().map(ServerJson::from).toList();
    }

    static Instant instant(String text) {
        return instant("created", text);
    }

    static Instant instant(String field, String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new JsonShapeException("'" + field + "' is not a date-time");
        }
    }
}
