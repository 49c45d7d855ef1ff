package clf.hetzner.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.hetzner.FirewallRule;
import clf.hetzner.FirewallRule.Direction;
import clf.hetzner.FirewallRule.Protocol;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuleSetsTest {
    private static final FirewallRule UDP = FirewallRule.inbound(Protocol.UDP, "41641", List.of("0.0.0.0/0", "::/0"), "wg");
    private static final FirewallRule SSH = FirewallRule.inbound(Protocol.TCP, "22", List.of("10.0.0.0/8"), null);

    @Test
    void orderOfRulesAndOfIpsDoesNotMatter() {
        FirewallRule udpReordered = FirewallRule.inbound(Protocol.UDP, "41641", List.of("::/0", "0.0.0.0/0"), "wg");
        assertTrue(RuleSets.same(List.of(UDP, SSH), List.of(SSH, udpReordered)));
    }

    @Test
    void emptyOptionalFieldsEqualAbsentOnes() {
        FirewallRule blank = new FirewallRule(Direction.IN, Protocol.TCP, " ", List.of("10.0.0.0/8"), null, "");
        FirewallRule absent = new FirewallRule(Direction.IN, Protocol.TCP, null, List.of("10.0.0.0/8"), List.of(), null);
        assertTrue(RuleSets.same(List.of(blank), List.of(absent)));
    }

    @Test
    void anyFieldDifferenceCounts() {
        assertFalse(RuleSets.same(List.of(UDP), List.of(FirewallRule.inbound(Protocol.UDP, "41642", UDP.sourceIps(), "wg"))));
        assertFalse(RuleSets.same(List.of(UDP), List.of(FirewallRule.inbound(Protocol.UDP, "41641", UDP.sourceIps(), "other"))));
        assertFalse(RuleSets.same(List.of(UDP), List.of(UDP, UDP)));
        assertFalse(RuleSets.same(List.of(UDP), List.of()));
    }
}
