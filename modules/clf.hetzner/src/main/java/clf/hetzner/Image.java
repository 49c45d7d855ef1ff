package clf.hetzner;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * The parts of a Hetzner image that clf uses to find the one a server boots from.
 *
 * @param type        {@code system}, {@code app}, {@code snapshot} or {@code backup}
 * @param status      {@code available}, {@code creating} or {@code unavailable}
 * @param name        only system and app images have one; {@code null} for snapshots (an
 *                    uploaded cattle image is a snapshot, found by id or labels)
 * @param deprecated  when the image became deprecated; {@code null} if it is not
 */
public record Image(long id, String type, String status, String name, String description, Map<String, String> labels,
                    Instant created, String architecture, Instant deprecated) {
    public Image {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(status, "status");
        description = description == null ? "" : description;
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        Objects.requireNonNull(created, "created");
        architecture = architecture == null ? "" : architecture;
    }

    public boolean available() {
        return "available".equals(status);
    }
}
