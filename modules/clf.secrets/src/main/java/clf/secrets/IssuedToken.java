package clf.secrets;

import java.time.Instant;

/**
 * A freshly made bootstrap token. The plain token exists only here and in the VM's user_data;
 * the store keeps its SHA-256.
 */
public record IssuedToken(Secret token, Instant expiresAt) {
}
