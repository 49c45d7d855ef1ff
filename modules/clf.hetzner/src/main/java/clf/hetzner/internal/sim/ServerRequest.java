package clf.hetzner.internal.sim;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The checks of {@code POST /servers}, in the order the API reports them, resolving the server
 * type, image and location that the body names by ID or name. Refusals are Hetzner's, as seen
 * from its clients (the OpenAPI file lists no error messages):
 * <ul>
 *   <li>unknown location: 400 invalid_input "location 'ash' not found" (terraform-provider-hcloud
 *       issue 493, the API's answer quoted in full);</li>
 *   <li>a server type not sold in the location, or past its deprecation's
 *       {@code unavailable_after}: 400 invalid_input "unsupported location for server type"
 *       (hcloud-python's APIException quoted in TestFlows-GitHub-Hetzner-Runners issue 96 after
 *       cx22 was withdrawn, and autobase issue 1403 with {@code details: {}});</li>
 *   <li>unknown server type or image: 400 invalid_input naming it, in the location message's
 *       words ("server type 'x' not found", "image 'x' not found"; the clients report these as
 *       "server type … not found" / "image not found", terraform-provider-hcloud issue 1255).</li>
 * </ul>
 */
final class ServerRequest {
    private final ServerTypeCatalog types;
    private final ImageCatalog images;

    ServerRequest(ServerTypeCatalog types, ImageCatalog images) {
        this.types = types;
        this.images = images;
    }

    SimState.NewServer parse(Map<String, Object> body, Instant now) {
        String name = SimChecks.serverName(body);
        String typeReference = Reference.required(body, "server_type");
        String imageReference = Reference.required(body, "image");
        ServerTypeCatalog.ServerType type = ServerTypeCatalog.byReference(typeReference)
                .orElseThrow(() -> notFound("server_type", "server type '" + typeReference + "' not found"));
        ImageCatalog.Image image = images.byReference(imageReference, type.architecture())
                .orElseThrow(() -> notFound("image", "image '" + imageReference + "' not found"));
        if (!image.architecture().equals(type.architecture())) {
            // Message not seen on the real API; the code and status are those of the other refusals.
            throw SimError.invalidInput("image", "image architecture " + image.architecture()
                    + " does not match server type architecture " + type.architecture());
        }
        SimCatalog.Location location = location(body);
        Deprecation deprecation = types.deprecation(type.name());
        if (!type.locations().contains(location.name()) || (deprecation != null && deprecation.unavailableAt(now))) {
            throw new SimError(400, "invalid_input", "unsupported location for server type", Map.of());
        }
        String userData = SimChecks.optionalString(body, "user_data");
        SimChecks.userData(userData);
        Map<String, String> labels = SimChecks.labels(body);
        if (!SimChecks.optionalArray(body, "ssh_keys").isEmpty()) {
            throw SimError.invalidInput("ssh_keys", "ssh key '" + SimChecks.optionalArray(body, "ssh_keys").get(0)
                    + "' not found (the simulated project has no SSH keys)");
        }
        List<Long> firewallIds = new ArrayList<>();
        for (Object item : SimChecks.optionalArray(body, "firewalls")) {
            if (!(item instanceof Map)) {
                throw SimError.invalidInput("firewalls", "items must be objects like {\"firewall\": 42}");
            }
            firewallIds.add(SimChecks.integer(((Map<?, ?>) item).get("firewall"), "firewalls"));
        }
        refuseUnmodelled(body);
        Object start = body.get("start_after_create");
        if (start != null && !(start instanceof Boolean)) {
            throw SimError.invalidInput("start_after_create", "must be a boolean");
        }
        String imageName = image.snapshot() ? Long.toString(image.id()) : image.name();
        return new SimState.NewServer(name, type.name(), imageName, location.name(), userData, labels, firewallIds,
                start == null || (Boolean) start);
    }

    /**
     * Parts of a create the simulator does not model are refused rather than ignored, so that
     * nothing passes here that would behave differently on Hetzner: networks, volumes, placement
     * groups, primary IPs, and servers without a public IPv4 or IPv6.
     */
    private static void refuseUnmodelled(Map<String, Object> body) {
        for (String field : List.of("networks", "volumes")) {
            if (!SimChecks.optionalArray(body, field).isEmpty()) {
                throw SimError.invalidInput(field, "not supported by the simulator");
            }
        }
        if (body.get("placement_group") != null) {
            throw SimError.invalidInput("placement_group", "not supported by the simulator");
        }
        Object publicNet = body.get("public_net");
        if (publicNet instanceof Map<?, ?> net) {
            boolean defaults = !Boolean.FALSE.equals(net.get("enable_ipv4")) && !Boolean.FALSE.equals(net.get("enable_ipv6"))
                    && net.get("ipv4") == null && net.get("ipv6") == null;
            if (!defaults) {
                throw SimError.invalidInput("public_net", "only the default (new IPv4 and IPv6) is supported by the simulator");
            }
        } else if (publicNet != null) {
            throw SimError.invalidInput("public_net", "must be an object");
        }
    }

    /** {@code location} or the deprecated {@code datacenter}, not both; neither: the default location. */
    private static SimCatalog.Location location(Map<String, Object> body) {
        String location = Reference.optional(body, "location");
        String datacenter = Reference.optional(body, "datacenter");
        if (location != null && datacenter != null) {
            throw SimError.invalidInput("location", "must not be used together with datacenter");
        }
        if (datacenter != null) {
            return SimCatalog.datacenterByReference(datacenter)
                    .orElseThrow(() -> notFound("datacenter", "datacenter '" + datacenter + "' not found"));
        }
        if (location == null) {
            return SimCatalog.location(SimCatalog.DEFAULT_LOCATION).orElseThrow();
        }
        return SimCatalog.locationByReference(location)
                .orElseThrow(() -> notFound("location", "location '" + location + "' not found"));
    }

    private static SimError notFound(String field, String message) {
        return SimError.invalidInput(field, message, message);
    }
}
