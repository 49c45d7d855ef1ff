package clf.server.internal.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.hetzner.sim.SimServer;
import clf.protocol.Protocol;
import clf.server.internal.config.OrchestratorConfig;
import clf.server.internal.config.TailnetJoin;
import clf.server.internal.status.SocketHttp;
import clf.server.internal.tailnet.sim.MintedKey;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code --dev} mints each VM's join key through its simulated Tailscale, as production does with an OAuth client. */
class DevJoinKeyTest extends DevDaemonFixture {
    @Test
    void aDevSpawnCarriesAKeyMintedForItAlone() throws Exception {
        start(Map.of());
        assertTrue(OrchestratorConfig.fromEnv(dev.env()).cattle().tailnetJoin().oauth(), "dev mode configures an OAuth client");
        SocketHttp.Response answer = SocketHttp.post(socket, Protocol.ENQUEUE, SpawnCancelTest.SPAWN.formatted("maren", "k-1"));
        assertEquals(200, answer.status(), answer.toString());
        String jobId = (String) answer.json().get("jobId");

        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        List<SimServer> servers = List.of();
        while (servers.isEmpty() && System.nanoTime() < deadline) {
            servers = dev.simulator().servers().stream()
                    .filter(server -> jobId.equals(server.labels().get("clf-job-id"))).toList();
            Thread.sleep(20);
        }
        assertEquals(1, servers.size(), "log:\n" + logged);
        List<MintedKey> keys = dev.tailscale().keys();
        assertEquals(1, keys.size());
        assertEquals(List.of(TailnetJoin.DEFAULT_TAGS), keys.get(0).tags());
        assertTrue(servers.get(0).userData().contains(keys.get(0).key()));
        assertFalse(servers.get(0).userData().contains(DevMode.DEV_OAUTH_CLIENT_SECRET));
        assertFalse(logged.toString().contains("tailnet.static-join-key"), logged.toString());
    }
}
