package clf.server.internal.tailnet.sim;

import java.time.Instant;
import java.util.List;

/** A key the simulator handed out, as a test reads it back. */
public record MintedKey(String id, String key, boolean reusable, boolean ephemeral, boolean preauthorized,
        List<String> tags, long expirySeconds, String description, Instant created) {
}
