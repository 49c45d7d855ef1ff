package clf.hetzner;

import java.util.List;
import java.util.Map;

/** The parts of a Hetzner firewall that clf uses. */
public record Firewall(long id, String name, Map<String, String> labels, List<FirewallRule> rules) {
    public Firewall {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        rules = List.copyOf(rules);
    }
}
