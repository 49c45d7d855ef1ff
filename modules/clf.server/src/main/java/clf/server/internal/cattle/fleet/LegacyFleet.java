package clf.server.internal.cattle.fleet;

import clf.hetzner.Firewall;
import clf.hetzner.FirewallRule;
import clf.hetzner.HetznerClient;
import clf.hetzner.HetznerException;
import clf.hetzner.Server;
import clf.server.internal.log.Log;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The servers and firewall the original implementation left on the project (issue 10 §5). Its
 * servers carry {@code managed-by=clawdlets, cattle=true} ({@code clawlets} after its rename)
 * and the same {@code created-at} / {@code expires-at} labels in epoch seconds as ours; its
 * firewall is {@code clawdlets-cattle-base} ({@code clawlets-cattle-base}) with the same single
 * rule. With adoption on ({@code CLF_CATTLE_ADOPT_LEGACY=1}, the default) the capacity count and
 * the reaper select them along with ours, and a spawn uses the old firewall while ours does not
 * exist, so an upgrade neither loses track of billing servers nor makes a second firewall.
 */
public final class LegacyFleet {
    /** Our firewall: the one rule a cattle VM needs open (spawns attach it; see {@link #firewallId}). */
    static final String FIREWALL_NAME = "clf-cattle-base";
    static final List<FirewallRule> FIREWALL_RULES = List.of(FirewallRule.inbound(FirewallRule.Protocol.UDP, "41641",
            List.of("0.0.0.0/0", "::/0"), "Tailscale WireGuard UDP (direct connections)"));
    /** The original's {@code managed-by} values: before and after its rename. */
    static final List<String> LEGACY_MANAGED_BY = List.of("clawdlets", "clawlets");
    static final List<String> LEGACY_FIREWALLS = List.of("clawdlets-cattle-base", "clawlets-cattle-base");
    static final String LEGACY_SELECTOR = Labels.MANAGED_BY + " in (" + String.join(",", LEGACY_MANAGED_BY) + "),"
            + Labels.CATTLE + "=true";
    /** Ours and the original's, in one request. */
    static final String ADOPTING_SELECTOR = Labels.MANAGED_BY + " in (" + Labels.MANAGED_BY_VALUE + ","
            + String.join(",", LEGACY_MANAGED_BY) + ")," + Labels.CATTLE + "=true";
    /** How long the choice between our firewall and the old one is kept. */
    static final Duration CHOICE_TTL = Duration.ofMinutes(10);

    private final boolean adopt;
    private final Clock clock;
    private volatile Choice choice;

    private record Choice(String name, Map<String, String> labels, Instant at) {
    }

    public LegacyFleet(boolean adopt, Clock clock) {
        this.adopt = adopt;
        this.clock = clock;
    }

    /** The label selector of every server counted against the limits and reaped. */
    public String selector() {
        return adopt ? ADOPTING_SELECTOR : Labels.MANAGED_SELECTOR;
    }

    /** Logs once how many of the original's servers were found (and whether its firewall is used). */
    public void logAtStart(HetznerClient hetzner, Log log) {
        if (!adopt) {
            return;
        }
        try {
            List<Server> servers = hetzner.listServers(LEGACY_SELECTOR);
            Optional<String> firewall = legacyFirewall(hetzner).map(Firewall::name);
            log.info("cattle.legacy-adopted", "servers", servers.size(), "firewall", firewall.orElse("none"),
                    "effect", servers.isEmpty() ? "none" : "counted against CLF_CATTLE_MAX_INSTANCES and reaped when"
                            + " their expires-at passes (CLF_CATTLE_ADOPT_LEGACY=0 ignores them)");
        } catch (HetznerException e) {
            log.warn("cattle.legacy-uncounted", "error", e.getMessage(), "effect",
                    "the original's servers are still counted and reaped, from the next spawn or reap on");
        }
    }

    /**
     * The firewall a new server gets: ours once it exists; while it does not and the original's
     * does, the original's (made sure of like ours: same rule); else ours, made now.
     */
    public long firewallId(HetznerClient hetzner) {
        Choice chosen = choice;
        Instant now = clock.instant();
        if (chosen == null || !now.isBefore(chosen.at().plus(CHOICE_TTL)) || now.isBefore(chosen.at())) {
            chosen = choose(hetzner, now);
        }
        try {
            return hetzner.ensureFirewall(chosen.name(), FIREWALL_RULES, chosen.labels()).id();
        } catch (RuntimeException e) {
            choice = null; // chosen again next time: the firewall may be gone
            throw e;
        }
    }

    private Choice choose(HetznerClient hetzner, Instant now) {
        Map<String, String> ours = Map.of(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE, Labels.CATTLE, "true");
        Choice chosen = new Choice(FIREWALL_NAME, ours, now);
        if (adopt && hetzner.findFirewallByName(FIREWALL_NAME, null).isEmpty()) {
            Optional<Firewall> legacy = legacyFirewall(hetzner);
            if (legacy.isPresent()) {
                chosen = new Choice(legacy.get().name(), legacy.get().labels(), now);
            }
        }
        choice = chosen;
        return chosen;
    }

    private static Optional<Firewall> legacyFirewall(HetznerClient hetzner) {
        for (String name : LEGACY_FIREWALLS) {
            Optional<Firewall> found = hetzner.findFirewallByName(name, null);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }
}
