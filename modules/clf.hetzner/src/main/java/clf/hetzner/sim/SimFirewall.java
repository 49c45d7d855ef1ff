package clf.hetzner.sim;

import clf.hetzner.FirewallRule;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A firewall of the simulator at one moment; {@code appliedTo} lists server ids. */
public record SimFirewall(long id, String name, Instant created, Map<String, String> labels,
                          List<FirewallRule> rules, List<Long> appliedTo) {
    public SimFirewall {
        labels = Map.copyOf(labels);
        rules = List.copyOf(rules);
        appliedTo = List.copyOf(appliedTo);
    }
}
