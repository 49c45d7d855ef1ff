package clf.server.internal.cattle.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.hetzner.sim.SimFirewall;
import clf.hetzner.sim.SimServer;
import clf.queue.Job;
import clf.queue.JobStatus;
import clf.server.internal.cattle.OnCattleRig;
import com.fasterxml.jackson.jr.ob.JSON;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Upgrading from the original implementation (issue 10 §5): the servers it made, labelled
 * {@code managed-by=clawdlets, cattle=true} with its {@code created-at}/{@code expires-at}
 * seconds (spec §3.6), and its firewall {@code clawdlets-cattle-base}, made here directly on
 * the simulator as the original would have left them.
 */
class LegacyFleetTest extends OnCattleRig {
    final long now = Instant.now().getEpochSecond();

    /** A server as the original spawned it: no job id, no requester, its own name shape. */
    SimServer original(String managedBy, String name, long expiresInSeconds) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("managed-by", managedBy);
        labels.put("cattle", "true");
        labels.put("identity", "rex");
        labels.put("task-id", "t-9");
        labels.put("created-at", Long.toString(now - 3600));
        labels.put("expires-at", Long.toString(now + expiresInSeconds));
        return rig.sim.addServer(name, labels);
    }

    Set<String> left() {
        return rig.sim.servers().stream().filter(server -> !server.status().equals("deleting"))
                .map(SimServer::name).collect(Collectors.toSet());
    }

    @Test
    void theOriginalsServersCountAgainstMaxInstances() throws Exception {
        original("clawdlets", "cattle-rex-1767225600", 3600);
        original("clawlets", "cattle-rex-1767225601", 3600); // after the original's rename
        rig.settings.maxInstances = 2;
        rig.start();

        Job refused = rig.awaitJob(rig.spawn("maren", 1), job -> job.status() == JobStatus.FAILED);

        assertTrue(refused.lastError().contains("max instances reached (2/2)"), refused.lastError());
        assertEquals(2, rig.sim.servers().size(), "no server was made");
    }

    @Test
    void withAdoptionOffTheyAreNotCounted() throws Exception {
        original("clawdlets", "cattle-rex-1767225600", 3600);
        original("clawdlets", "cattle-rex-1767225601", 3600);
        rig.settings.maxInstances = 2;
        rig.settings.adoptLegacy = false;
        rig.start();

        rig.awaitJob(rig.spawn("maren", 1), job -> job.status() == JobStatus.DONE);

        assertEquals(3, rig.sim.servers().size());
    }

    @Test
    void theReaperDeletesTheExpiredOnesAndKeepsTheOthers() throws Exception {
        original("clawdlets", "cattle-rex-expired", -60);
        original("clawlets", "cattle-rex-renamed-expired", -1);
        original("clawdlets", "cattle-rex-alive", 600);
        rig.sim.addServer("not-cattle", Map.of("managed-by", "clawdlets", "expires-at", Long.toString(now - 60)));
        rig.start();

        Job done = rig.awaitJob(rig.reap(false), job -> job.status() == JobStatus.DONE);

        Map<String, Object> result = JSON.std.mapFrom(done.resultJson());
        assertEquals(2, ((Number) result.get("deleted")).intValue(), result.toString());
        assertEquals(3, ((Number) result.get("checked")).intValue(), "cattle=true is required: " + result);
        assertEquals(Set.of("cattle-rex-alive", "not-cattle"), left());
    }

    @Test
    void withAdoptionOffTheReaperLeavesThemAlone() throws Exception {
        original("clawdlets", "cattle-rex-expired", -60);
        rig.settings.adoptLegacy = false;
        rig.start();

        Job done = rig.awaitJob(rig.reap(false), job -> job.status() == JobStatus.DONE);

        assertEquals(0, ((Number) JSON.std.mapFrom(done.resultJson()).get("checked")).intValue());
        assertEquals(Set.of("cattle-rex-expired"), left());
    }

    @Test
    void theOldFirewallIsReusedWhileOursDoesNotExist() throws Exception {
        rig.start();
        long old = rig.hetzner.createFirewall("clawdlets-cattle-base", LegacyFleet.FIREWALL_RULES,
                Map.of("managed-by", "clawdlets", "cattle", "true")).id();

        String id = rig.spawn("maren", 1);
        rig.awaitJob(id, job -> job.status() == JobStatus.DONE);

        assertEquals(List.of(old), rig.serversOf(id).get(0).firewallIds());
        assertEquals(List.of("clawdlets-cattle-base"), rig.sim.firewalls().stream().map(SimFirewall::name).toList(),
                "no second firewall was made");
        assertEquals(0, rig.sim.count("POST /firewalls/{id}/actions/set_rules"), "its rule is ours already");
    }

    @Test
    void oursIsUsedOnceItExists() throws Exception {
        rig.start();
        rig.hetzner.createFirewall("clawdlets-cattle-base", LegacyFleet.FIREWALL_RULES,
                Map.of("managed-by", "clawdlets", "cattle", "true"));
        long ours = rig.hetzner.createFirewall(LegacyFleet.FIREWALL_NAME, LegacyFleet.FIREWALL_RULES,
                Map.of("managed-by", "clf", "cattle", "true")).id();

        String id = rig.spawn("maren", 1);
        rig.awaitJob(id, job -> job.status() == JobStatus.DONE);

        assertEquals(List.of(ours), rig.serversOf(id).get(0).firewallIds());
    }

    @Test
    void withAdoptionOffOurFirewallIsMadeBesideTheOld() throws Exception {
        rig.settings.adoptLegacy = false;
        rig.start();
        rig.hetzner.createFirewall("clawdlets-cattle-base", LegacyFleet.FIREWALL_RULES,
                Map.of("managed-by", "clawdlets", "cattle", "true"));

        String id = rig.spawn("maren", 1);
        rig.awaitJob(id, job -> job.status() == JobStatus.DONE);

        SimFirewall ours = rig.sim.firewalls().stream().filter(f -> f.name().equals(LegacyFleet.FIREWALL_NAME))
                .findFirst().orElseThrow();
        assertEquals(List.of(ours.id()), rig.serversOf(id).get(0).firewallIds());
    }

    @Test
    void theStartLogSaysHowManyWereFound() throws Exception {
        original("clawdlets", "cattle-rex-1", 3600);
        original("clawlets", "cattle-rex-2", 3600);
        rig.start();
        rig.hetzner.createFirewall("clawdlets-cattle-base", LegacyFleet.FIREWALL_RULES,
                Map.of("managed-by", "clawdlets", "cattle", "true"));

        rig.runtime.legacy().logAtStart(rig.hetzner, rig.log);

        String logged = rig.logged.toString();
        assertTrue(logged.contains("INFO cattle.legacy-adopted servers=2 firewall=clawdlets-cattle-base"), logged);
        assertEquals(1, logged.lines().filter(line -> line.contains("cattle.legacy")).count(), logged);
    }
}
