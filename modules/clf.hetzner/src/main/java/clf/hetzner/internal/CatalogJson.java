package clf.hetzner.internal;

import clf.hetzner.Deprecation;
import clf.hetzner.Image;
import clf.hetzner.Location;
import clf.hetzner.ServerType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Maps the API's {@code server_type}, {@code image} and {@code location} objects. */
public final class CatalogJson {
    private CatalogJson() {
    }

    @SuppressWarnings("unchecked")
    public static ServerType serverType(Map<String, Object> json) {
        List<ServerType.Offer> offers = new ArrayList<>();
        for (Object item : Json.array(json, "locations")) {
            if (!(item instanceof Map)) {
                throw new JsonShapeException("'locations' holds a non-object");
            }
            Map<String, Object> offer = (Map<String, Object>) item;
            offers.add(new ServerType.Offer(Json.string(offer, "name"), deprecation(Json.optObject(offer, "deprecation"))));
        }
        return new ServerType(Json.integer(json, "id"), Json.string(json, "name"), Json.optString(json, "description"),
                Json.optString(json, "architecture"), (int) Json.optInteger(json, "cores").orElse(0), offers);
    }

    public static Image image(Map<String, Object> json) {
        String deprecated = Json.optString(json, "deprecated");
        return new Image(Json.integer(json, "id"), Json.string(json, "type"), Json.string(json, "status"),
                Json.optString(json, "name"), Json.optString(json, "description"), Json.stringMap(json, "labels"),
                ServerJson.instant("created", Json.string(json, "created")), Json.optString(json, "architecture"),
                deprecated == null ? null : ServerJson.instant("deprecated", deprecated));
    }

    /** The image of a {@code {"image": …}} answer. */
    public static Image imageEnvelope(Map<String, Object> json) {
        return image(Json.object(json, "image"));
    }

    public static Location location(Map<String, Object> json) {
        return new Location(Json.integer(json, "id"), Json.string(json, "name"), Json.optString(json, "description"),
                Json.optString(json, "city"), Json.optString(json, "country"));
    }

    private static Deprecation deprecation(Map<String, Object> json) {
        if (json == null) {
            return null;
        }
        return new Deprecation(ServerJson.instant("announced", Json.string(json, "announced")),
                ServerJson.instant("unavailable_after", Json.string(json, "unavailable_after")));
    }
}
