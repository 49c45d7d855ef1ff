package clf.hetzner;

import java.time.Instant;
import java.util.Objects;

/**
 * Hetzner's {@code deprecation} object: a resource announced as going away, and the moment from
 * which it can no longer be used to create anything (servers of a deprecated type, say).
 */
public record Deprecation(Instant announced, Instant unavailableAfter) {
    public Deprecation {
        Objects.requireNonNull(announced, "announced");
        Objects.requireNonNull(unavailableAfter, "unavailableAfter");
    }

    /** Whether {@code now} is at or past {@link #unavailableAfter()}. */
    public boolean unavailableAt(Instant now) {
        return !now.isBefore(unavailableAfter);
    }
}
