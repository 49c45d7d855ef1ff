package clf.secrets;

import java.time.Instant;

/**
 * A freshly made bootstrap token (or report credential). The plain token exists only here and in
 * the VM's user_data (or env answer); the store keeps its SHA-256.
 */
public record IssuedToken(Secret token, Instant expiresAt) {
}
