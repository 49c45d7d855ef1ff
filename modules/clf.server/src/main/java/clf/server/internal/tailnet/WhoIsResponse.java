package clf.server.internal.tailnet;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads tailscaled's whois answer: the JSON of {@code apitype.WhoIsResponse}
 * (client/tailscale/apitype/apitype.go) — {@code {"Node": tailcfg.Node, "UserProfile":
 * tailcfg.UserProfile, "CapMap": tailcfg.PeerCapMap}} — as serveWhoIsWithBackend in
 * ipn/localapi/localapi.go writes it ({@code json.MarshalIndent}, tab-indented). Go's
 * encoding/json keys a struct by its field names, and the fields read here carry no renaming
 * tag (tailcfg/tailcfg.go, type Node: {@code Name}, {@code Addresses}, {@code Hostinfo},
 * {@code ComputedName}; type Hostinfo: {@code Hostname}); all at tailscale commit de9ec7ee.
 * Only {@code Node.Name} must be there: the others are {@code omitzero} on the Go side.
 */
final class WhoIsResponse {

    private WhoIsResponse() {
    }

    static TailnetNode node(byte[] json) throws LocalApiException {
        Object parsed;
        try {
            parsed = JSON.std.anyFrom(json);
        } catch (IOException e) {
            throw new LocalApiException("whois answer is not JSON: "
                    + HttpReply.snippet(new String(json, StandardCharsets.UTF_8)));
        }
        if (!(parsed instanceof Map<?, ?> response) || !(response.get("Node") instanceof Map<?, ?> node)) {
            throw new LocalApiException("whois answer has no Node object");
        }
        if (!(node.get("Name") instanceof String name) || name.isBlank()) {
            throw new LocalApiException("whois answer has no Node.Name");
        }
        String hostname = node.get("Hostinfo") instanceof Map<?, ?> hostinfo ? text(hostinfo.get("Hostname")) : "";
        List<String> addresses = new ArrayList<>();
        if (node.get("Addresses") instanceof List<?> list) {
            for (Object address : list) {
                addresses.add(text(address));
            }
        }
        return new TailnetNode(name, text(node.get("ComputedName")), hostname, addresses);
    }

    private static String text(Object value) {
        return value instanceof String string ? string : "";
    }
}
