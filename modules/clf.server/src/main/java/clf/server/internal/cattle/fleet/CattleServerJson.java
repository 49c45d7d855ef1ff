package clf.server.internal.cattle.fleet;

import clf.hetzner.Server;
import clf.protocol.WireTime;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** A cattle server as job results show it (spec §3.11). */
public final class CattleServerJson {
    private CattleServerJson() {
    }

    public static Map<String, Object> of(Server server) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", Long.toString(server.id()));
        json.put("name", server.name());
        json.put("ipv4", server.ipv4());
        json.put("status", server.status().wire());
        json.put("identity", server.labels().getOrDefault(Labels.IDENTITY, ""));
        json.put("taskId", server.labels().getOrDefault(Labels.TASK_ID, ""));
        Instant created = labelTime(server, Labels.CREATED_AT, server.created());
        Instant expires = labelTime(server, Labels.EXPIRES_AT, created);
        json.put("createdAt", WireTime.format(created));
        json.put("expiresAt", WireTime.format(expires));
        json.put("ttlSeconds", Math.max(0, expires.getEpochSecond() - created.getEpochSecond()));
        json.put("labels", new LinkedHashMap<>(server.labels()));
        if (server.imageId() > 0) {
            json.put("imageId", Long.toString(server.imageId())); // additive: which image the server was made from
        }
        return json;
    }

    /** A label holding epoch seconds, or {@code fallback} if it is missing or not a positive number. */
    public static Instant labelTime(Server server, String label, Instant fallback) {
        String value = server.labels().get(label);
        if (value != null && value.matches("\\d{1,12}")) {
            long seconds = Long.parseLong(value);
            if (seconds > 0) {
                return Instant.ofEpochSecond(seconds);
            }
        }
        return fallback;
    }
}
