package clf.secrets;

import java.util.List;
import java.util.Map;

/** How a VM's attempt to trade its token went. */
public sealed interface Redemption {
    /**
     * The token is now used up; {@code env} is what the VM gets (public settings first, then secrets).
     *
     * @param report the VM's report credential, valid until its server's expires-at; null for a
     *               token issued without the server's expiry (before issue 13)
     */
    record Redeemed(TokenGrant grant, Map<String, Secret> env, IssuedToken report) implements Redemption {
    }

    /**
     * No such token, or it was used or has expired. The VM is told only "invalid or expired";
     * {@code reason} is for the operator's log.
     */
    record Refused(String reason) implements Redemption {
    }

    /**
     * The control plane lacks a secret the grant needs. The token is NOT used up: once the
     * operator supplies the secret, the same token works.
     *
     * @param missing for each missing secret, its aliases
     */
    record MissingSecrets(TokenGrant grant, List<List<String>> missing) implements Redemption {
    }

    /** A check of the caller (e.g. its tailnet identity) failed; the token is NOT used up. */
    record Rejected(TokenGrant grant, String reason) implements Redemption {
    }
}
