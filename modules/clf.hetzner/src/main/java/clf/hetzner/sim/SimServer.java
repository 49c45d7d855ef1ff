package clf.hetzner.sim;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A server of the simulator at one moment.
 *
 * @param status     the API's status text: {@code initializing}, {@code running}, {@code off} or
 *                   {@code deleting}
 * @param serverType the server type's name, also when the create named it by ID
 * @param image      a system image's name (e.g. {@code ubuntu-24.04}), or a snapshot's ID in decimal
 * @param location   the location's name, also when the create named it by ID
 * @param userData   the cloud-init document as received; {@link #toString()} shows only its size
 */
public record SimServer(long id, String name, String status, Instant created, Map<String, String> labels,
                        String userData, String serverType, String image, String location,
                        List<Long> firewallIds, String ipv4, String ipv6) {
    public SimServer {
        labels = Map.copyOf(labels);
        firewallIds = List.copyOf(firewallIds);
    }

    @Override
    public String toString() {
        return "SimServer[id=" + id + ", name=" + name + ", status=" + status + ", labels=" + labels
                + ", userData=<" + (userData == null ? 0 : userData.length()) + " chars>]";
    }
}
