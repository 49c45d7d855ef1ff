package clf.hetzner;

import java.util.List;
import java.util.Map;

/**
 * What {@code POST /servers} receives. As in the reference implementation (spec §3.9) no
 * {@code ssh_keys}, {@code public_net}, {@code networks}, {@code volumes} or
 * {@code start_after_create} are sent, so the API's defaults apply (public IPv4 and IPv6, started).
 *
 * @param location    a location name, or {@code null} to let Hetzner choose
 * @param userData    cloud-init document, or {@code null}; it holds secrets, so {@link #toString()}
 *                    shows only its size and error texts never contain it
 * @param firewallIds firewalls to apply at creation
 */
public record ServerSpec(String name, String serverType, String image, String location, String userData,
                         Map<String, String> labels, List<Long> firewallIds) {
    public ServerSpec {
        name = required("name", name);
        serverType = required("serverType", serverType);
        image = required("image", image);
        location = location == null || location.isBlank() ? null : location.trim();
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        firewallIds = firewallIds == null ? List.of() : List.copyOf(firewallIds);
    }

    private static String required(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("server spec: " + field + " must not be blank");
        }
        return value.trim();
    }

    @Override
    public String toString() {
        int userDataBytes = userData == null ? 0 : userData.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        return "ServerSpec[name=" + name + ", serverType=" + serverType + ", image=" + image
                + ", location=" + location + ", userData=<" + userDataBytes + " bytes>, labels=" + labels
                + ", firewallIds=" + firewallIds + "]";
    }
}
