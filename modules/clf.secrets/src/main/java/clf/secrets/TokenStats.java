package clf.secrets;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * What became of bootstrap tokens, for metrics. The counters cover this process's lifetime;
 * {@code expiredUnused} is read from the token file and covers every process that shares it,
 * until old tokens are pruned.
 *
 * @param issued        tokens made for spawns
 * @param redeemed      tokens traded for a VM's environment (each at most once)
 * @param revoked       unused tokens burned because their spawn failed or was canceled
 * @param refused       redemption attempts that got nothing, by why
 * @param expiredUnused tokens in the file that expired without being redeemed or revoked: VMs
 *                      that never came to fetch their environment
 */
public record TokenStats(long issued, long redeemed, long revoked, Map<Refusal, Long> refused, long expiredUnused) {

    public TokenStats {
        Map<Refusal, Long> all = new EnumMap<>(Refusal.class);
        for (Refusal reason : Refusal.values()) {
            all.put(reason, refused.getOrDefault(reason, 0L));
        }
        refused = Collections.unmodifiableMap(all);
    }

    /** Why a redemption got nothing. */
    public enum Refusal {
        /** No such token (or none at all). */
        INVALID,
        /** The token's time ran out. */
        EXPIRED,
        /** The token was redeemed (or revoked) before. */
        USED,
        /** The control plane lacks a secret the grant needs; the token stays valid. */
        MISSING_SECRETS,
        /** The caller check refused the caller; the token stays valid. */
        REJECTED;

        /** The lower-case name used in metrics and JSON ({@code missing_secrets}). */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
