package clf.hetzner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.hetzner.FirewallRule.Protocol;
import clf.hetzner.sim.SimExchange;
import clf.hetzner.testing.SimHarness;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** ensureFirewall and the firewall calls it is built from. */
class FirewallEnsureTest {
    private static final String NAME = "clf-cattle-base";
    private static final Map<String, String> LABELS = Map.of("managed-by", "clf", "cattle", "true");
    /** The base rule set of spec §3.9. */
    private static final List<FirewallRule> BASE = List.of(FirewallRule.inbound(Protocol.UDP, "41641",
            List.of("0.0.0.0/0", "::/0"), "Tailscale WireGuard UDP (direct connections)"));
    private static final List<FirewallRule> BASE_PLUS_SSH = List.of(
            FirewallRule.inbound(Protocol.TCP, "22", List.of("::/0", "10.0.0.0/8"), null),
            FirewallRule.inbound(Protocol.UDP, "41641", List.of("::/0", "0.0.0.0/0"),
                    "Tailscale WireGuard UDP (direct connections)"));

    private final SimHarness h = new SimHarness();
    private final HetznerClient client = h.client();

    @AfterEach
    void close() {
        h.close();
    }

    @Test
    void createsTheFirewallWhenMissing() {
        EnsuredFirewall ensured = client.ensureFirewall(NAME, BASE, LABELS);

        assertEquals(EnsuredFirewall.Outcome.CREATED, ensured.outcome());
        Firewall stored = client.getFirewall(ensured.id()).orElseThrow();
        assertEquals(NAME, stored.name());
        assertEquals(LABELS, stored.labels());
        assertEquals(BASE, stored.rules());
        SimExchange lookup = h.sim.exchanges().get(0);
        assertEquals("GET /firewalls", lookup.route());
        assertTrue(lookup.rawQuery().contains("name=clf-cattle-base"), lookup.rawQuery());
        assertTrue(lookup.rawQuery().contains("label_selector=cattle%3Dtrue%2Cmanaged-by%3Dclf"), lookup.rawQuery());
    }

    @Test
    void leavesEqualRulesAloneWhateverTheirOrder() {
        client.createFirewall(NAME, BASE_PLUS_SSH, LABELS);
        List<FirewallRule> reordered = List.of(
                FirewallRule.inbound(Protocol.UDP, "41641", List.of("0.0.0.0/0", "::/0"),
                        "Tailscale WireGuard UDP (direct connections)"),
                new FirewallRule(FirewallRule.Direction.IN, Protocol.TCP, "22", List.of("10.0.0.0/8", "::/0"), List.of(), ""));

        EnsuredFirewall ensured = h.client().ensureFirewall(NAME, reordered, LABELS);

        assertEquals(EnsuredFirewall.Outcome.UNCHANGED, ensured.outcome());
        assertEquals(0, h.sim.count("POST /firewalls/{id}/actions/set_rules"));
    }

    @Test
    void setsTheRulesWhenTheyDiffer() {
        long id = client.createFirewall(NAME, BASE_PLUS_SSH, LABELS).id();

        EnsuredFirewall ensured = h.client().ensureFirewall(NAME, BASE, LABELS);

        assertEquals(new EnsuredFirewall(id, EnsuredFirewall.Outcome.RULES_SET), ensured);
        assertEquals(BASE, h.sim.firewalls().get(0).rules());
    }

    @Test
    void aRecentSuccessIsServedFromTheCacheWithoutRequests() {
        long id = client.ensureFirewall(NAME, BASE, LABELS).id();
        int requests = h.sim.exchanges().size();

        assertEquals(new EnsuredFirewall(id, EnsuredFirewall.Outcome.CACHED), client.ensureFirewall(NAME, BASE, LABELS));
        assertEquals(requests, h.sim.exchanges().size());
    }

    @Test
    void theCacheExpires() {
        client.ensureFirewall(NAME, BASE, LABELS);
        h.time.advance(Duration.ofMinutes(10));

        assertEquals(EnsuredFirewall.Outcome.UNCHANGED, client.ensureFirewall(NAME, BASE, LABELS).outcome());
    }

    @Test
    void anyErrorInvalidatesTheCache() {
        long first = client.ensureFirewall(NAME, BASE, LABELS).id();
        h.sim.removeFirewall(first); // deleted behind clf's back
        ServerSpec spec = new ServerSpec("needs-fw", "cx23", "ubuntu-24.04", null, null, Map.of(), List.of(first));
        assertThrows(HetznerApiException.class, () -> client.createServer(spec));

        EnsuredFirewall again = client.ensureFirewall(NAME, BASE, LABELS);

        assertEquals(EnsuredFirewall.Outcome.CREATED, again.outcome());
        assertNotEquals(first, again.id());
    }

    @Test
    void aFailedEnsureCachesNothing() {
        client.createFirewall(NAME, BASE_PLUS_SSH, LABELS);
        h.sim.failNext(100, 500, "server_error");
        assertThrows(HetznerApiException.class, () -> client.ensureFirewall(NAME, BASE, LABELS));
        h.sim.clearFaults();

        assertEquals(EnsuredFirewall.Outcome.RULES_SET, client.ensureFirewall(NAME, BASE, LABELS).outcome());
    }

    @Test
    void aNameTakenByAFirewallWithoutOurLabelsIsTakenOver() {
        long id = client.createFirewall(NAME, BASE_PLUS_SSH, Map.of()).id();

        EnsuredFirewall ensured = h.client().ensureFirewall(NAME, BASE, LABELS);

        assertEquals(new EnsuredFirewall(id, EnsuredFirewall.Outcome.RULES_SET), ensured);
        assertEquals(1, h.sim.firewalls().size());
    }

    @Test
    void concurrentEnsuresCreateOneFirewall() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<EnsuredFirewall>> results = pool.invokeAll(List.of(
                    () -> client.ensureFirewall(NAME, BASE, LABELS), () -> client.ensureFirewall(NAME, BASE, LABELS),
                    () -> client.ensureFirewall(NAME, BASE, LABELS), () -> client.ensureFirewall(NAME, BASE, LABELS)));
            long id = results.get(0).get().id();
            for (Future<EnsuredFirewall> result : results) {
                assertEquals(id, result.get().id());
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(1, h.sim.firewalls().size());
        assertEquals(1, h.sim.count("POST /firewalls"));
    }

    @Test
    void findsByNameWithinTheSelectorAndGetsById() {
        long id = client.createFirewall(NAME, BASE, Map.of("managed-by", "someone")).id();

        assertTrue(client.findFirewallByName(NAME, "managed-by=clf").isEmpty());
        assertEquals(id, client.findFirewallByName(NAME, null).orElseThrow().id());
        assertTrue(client.getFirewall(id + 1000).isEmpty());
    }

    @Test
    void setRulesReplacesAllRules() {
        long id = client.createFirewall(NAME, BASE, Map.of()).id();

        client.setFirewallRules(id, List.of());

        assertEquals(List.of(), client.getFirewall(id).orElseThrow().rules());
    }
}
