package clf.server.internal.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.protocol.Health;
import clf.protocol.Protocol;
import clf.secrets.SecretSource;
import clf.server.internal.Daemon;
import clf.server.internal.config.OrchestratorConfig;
import clf.server.internal.status.SocketHttp;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The bot socket answers before the cattle side has started: with Hetzner answering slowly
 * (the catalog check takes seconds), {@code /healthz} passes with the cattle checks saying
 * {@code starting}, and an enqueue is answered; once Hetzner answers, the start completes.
 */
class CattleStartBehindTheSocketTest extends DevDaemonFixture {
    static final String REAP = """
            {"protocolVersion":1,"requester":"maren","kind":"cattle.reap","idempotencyKey":"r-1",
             "payload":{"dryRun":true}}""";

    @Test
    @SuppressWarnings("unchecked")
    void theSocketAnswersWhileASlowHetznerIsAskedForItsCatalog() throws Exception {
        startDev(Map.of("CLF_DEV_BOOT_DELAY_MS", "100", "CLF_SHUTDOWN_GRACE_MS", "200"));
        dev.simulator().setLatency(Duration.ofSeconds(3)); // the catalog takes several requests: 9 s or more
        daemon = Daemon.launch(OrchestratorConfig.fromEnv(dev.env()), dev.env(),
                SecretSource.fromEnvironment(dev.env()), log, clock);
        socket = dev.socketPath();

        SocketHttp.Response health = SocketHttp.get(socket, Protocol.HEALTH);
        assertEquals(200, health.status(), health.toString());
        Map<String, Object> catalog = (Map<String, Object>) ((Map<String, Object>) health.json().get("checks"))
                .get(Health.HETZNER_CATALOG);
        assertTrue(((String) catalog.get("detail")).startsWith("starting: "), health.toString());
        SocketHttp.Response enqueued = SocketHttp.post(socket, Protocol.ENQUEUE, REAP);
        assertEquals(200, enqueued.status(), enqueued.toString());
        assertFalse(daemon.started().isDone(), "the cattle side was still starting:\n" + logged);
        assertFalse(logged.toString().contains("cattle.catalog-checked"), logged.toString());

        dev.simulator().setLatency(Duration.ZERO);
        daemon.started().get(60, TimeUnit.SECONDS);
        catalog = (Map<String, Object>) ((Map<String, Object>) SocketHttp.get(socket, Protocol.HEALTH).json()
                .get("checks")).get(Health.HETZNER_CATALOG);
        assertFalse(((String) catalog.get("detail")).startsWith("starting: "), catalog.toString());
        assertTrue(logged.toString().contains("cattle.catalog-checked"), logged.toString());
    }
}
