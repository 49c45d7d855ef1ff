package clf.hetzner.internal.sim;

import java.time.Instant;

/**
 * Hetzner's {@code deprecation_info}: announced, and no longer orderable once
 * {@code unavailable_after} has passed (OpenAPI file: "the resource can not be used to create new
 * resources" after that date).
 */
record Deprecation(Instant announced, Instant unavailableAfter) {
    boolean unavailableAt(Instant now) {
        return now.isAfter(unavailableAfter);
    }
}
