package clf.hetzner;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * The parts of a Hetzner server that clf uses.
 *
 * @param ipv4       the public IPv4 address, or {@code ""} when the server has none
 * @param serverType the server type's name, e.g. {@code cx22}
 * @param location   the location's name, e.g. {@code fsn1}
 * @param imageId    the id of the image the server was made from; 0 when Hetzner names none
 *                   (the image was deleted since, or the answer left it out)
 */
public record Server(long id, String name, ServerStatus status, Instant created, Map<String, String> labels,
                     String ipv4, String serverType, String location, long imageId) {
    public Server {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(created, "created");
        labels = Map.copyOf(labels);
        ipv4 = ipv4 == null ? "" : ipv4;
        serverType = serverType == null ? "" : serverType;
        location = location == null ? "" : location;
    }
}
