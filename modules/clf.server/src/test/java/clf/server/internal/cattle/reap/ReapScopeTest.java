package clf.server.internal.cattle.reap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import clf.hetzner.sim.SimServer;
import clf.protocol.ApiException;
import clf.protocol.ErrorCode;
import clf.protocol.JobKind;
import clf.queue.Job;
import clf.queue.JobStatus;
import clf.queue.NewJob;
import clf.server.internal.cattle.OnCattleRig;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reaping belongs to the daemon: a bot's {@code cattle.reap} covers only the servers labelled with
 * its own requester and names only those; the daemon's periodic reap and operators' reaps cover
 * the fleet. Before, any bot's reap deleted and listed every bot's expired servers.
 */
class ReapScopeTest extends OnCattleRig {
    final long now = Instant.now().getEpochSecond();

    @BeforeEach
    void open() throws Exception {
        expired("cattle-alice-1", "alice");
        expired("cattle-bob-1", "bob");
        expired("cattle-nobody-1", null);
        rig.start();
    }

    SimServer expired(String name, String requester) {
        Map<String, String> labels = new HashMap<>(Map.of("managed-by", "clf", "cattle", "true", "expires-at",
                Long.toString(now - 60), "clf-job-id", "job-" + name));
        if (requester != null) {
            labels.put("requester", requester);
        }
        return rig.sim.addServer(name, labels);
    }

    Set<String> left() {
        return rig.sim.servers().stream().filter(server -> !server.status().equals("deleting"))
                .map(SimServer::name).collect(Collectors.toSet());
    }

    Map<String, Object> reap(String requester, String payload) throws Exception {
        String id = rig.enqueue(NewJob.of("cattle.reap", requester, payload));
        Job done = rig.awaitJob(id, job -> job.status().isTerminal());
        assertEquals(JobStatus.DONE, done.status(), done.toString() + rig.events(id));
        return ReapHandlerTest.result(done);
    }

    @Test
    void aBotsReapDeletesAndNamesOnlyItsOwnServers() throws Exception {
        Map<String, Object> result = reap("alice", "{\"dryRun\":false}");

        assertEquals(Set.of("cattle-alice-1"), ReapHandlerTest.byName(result).keySet());
        assertEquals(1, ((Number) result.get("checked")).intValue(), "it saw only its own: " + result);
        assertEquals(Set.of("cattle-bob-1", "cattle-nobody-1"), left());
    }

    @Test
    void aBotsDryRunNamesOnlyItsOwnServersToo() throws Exception {
        Map<String, Object> result = reap("bob", "{\"dryRun\":true}");

        assertEquals(Set.of("cattle-bob-1"), ReapHandlerTest.byName(result).keySet());
    }

    @Test
    void theDaemonsReapCoversTheFleet() throws Exception {
        Map<String, Object> result = reap("clf", "{\"dryRun\":false}");

        assertEquals(Set.of("cattle-alice-1", "cattle-bob-1", "cattle-nobody-1"),
                ReapHandlerTest.byName(result).keySet());
        assertEquals(Set.of(), left());
    }

    @Test
    void anOperatorsReapCoversTheFleetWhoeverItIsFor() throws Exception {
        Map<String, Object> payload = ReapScope.atEnqueue(JobKind.CATTLE_REAP, Map.of("dryRun", false), true);
        assertEquals(Map.of("dryRun", false, "fleetWide", true), payload, "marked at enqueue");

        Map<String, Object> result = reap("alice", "{\"dryRun\":false,\"fleetWide\":true}");

        assertEquals(3, ReapHandlerTest.byName(result).size(), result.toString());
        assertEquals(Set.of(), left());
    }

    @Test
    void onlyOperatorsMayAskForTheFleet() {
        ApiException refused = assertThrows(ApiException.class,
                () -> ReapScope.atEnqueue(JobKind.CATTLE_REAP, Map.of("dryRun", false, "fleetWide", true), false));
        assertEquals(ErrorCode.FORBIDDEN, refused.code());
        assertEquals("payload.fleetWide: only operators may reap the whole fleet; a bot's reap covers the servers it"
                + " spawned (operators may)", refused.getMessage());
        Map<String, Object> own = Map.of("dryRun", true);
        assertEquals(own, ReapScope.atEnqueue(JobKind.CATTLE_REAP, own, false), "a bot's reap is stored as asked");
        assertEquals(Map.of("dryRun", false, "fleetWide", false),
                ReapScope.atEnqueue(JobKind.CATTLE_REAP, Map.of("dryRun", false, "fleetWide", false), true),
                "an operator may reap for one requester only");
    }
}
