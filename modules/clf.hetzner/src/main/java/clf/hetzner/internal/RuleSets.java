package clf.hetzner.internal;

import clf.hetzner.FirewallRule;
import java.util.ArrayList;
import java.util.List;

/**
 * Compares firewall rule sets as the reference does (spec §3.9): empty optional fields dropped
 * (done by {@link FirewallRule}'s constructor), IPs sorted within each rule, rules sorted by
 * {@code direction|protocol|port|sources|destinations|description}, then compared as text.
 */
public final class RuleSets {
    private RuleSets() {
    }

    public static boolean same(List<FirewallRule> left, List<FirewallRule> right) {
        return normalise(left).equals(normalise(right));
    }

    /** One canonical JSON text per rule, sorted; duplicates are kept (they are a difference). */
    static List<String> normalise(List<FirewallRule> rules) {
        List<String> result = new ArrayList<>(rules.size());
        for (FirewallRule rule : rules) {
            List<String> sources = new ArrayList<>(rule.sourceIps());
            List<String> destinations = new ArrayList<>(rule.destinationIps());
            sources.sort(null);
            destinations.sort(null);
            // JSON rather than '|'-joined text so that no field value can imitate a separator.
            List<Object> key = new ArrayList<>();
            key.add(rule.direction().wire());
            key.add(rule.protocol().wire());
            key.add(rule.port() == null ? "" : rule.port());
            key.add(sources);
            key.add(destinations);
            key.add(rule.description() == null ? "" : rule.description());
            result.add(Json.write(key));
        }
        result.sort(null);
        return result;
    }
}
