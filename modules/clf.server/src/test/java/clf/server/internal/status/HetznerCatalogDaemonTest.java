package clf.server.internal.status;

import clf.server.internal.dev.DevDaemonFixture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.hetzner.HetznerClient;
import clf.hetzner.HetznerConfig;
import clf.hetzner.Server;
import clf.hetzner.ServerType;
import clf.hetzner.sim.HetznerSimulator;
import clf.protocol.Health;
import clf.protocol.Protocol;
import clf.server.Main;
import clf.server.internal.dev.DevMode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 16 on a real daemon (dev mode: the simulator's catalog, the real socket): the defaults
 * spawn with a type Hetzner still sells, from the label-selected snapshot; a configured
 * {@code cx22} is a WARN and, its date being past, a failing {@code hetznerCatalog} check; an
 * unknown type stops the start; an unknown override is refused at enqueue.
 */
class HetznerCatalogDaemonTest extends DevDaemonFixture {
    static final String SPAWN = """
            {"protocolVersion":1,"requester":"maren","kind":"cattle.spawn","idempotencyKey":"%s",
             "payload":{"identity":"rex","ttl":"1h",%s"task":{"schemaVersion":1,"taskId":"t-1",
             "type":"clawdbot.gateway.agent","message":"hello"}}}""";


    /** A client of dev mode's simulator, as {@code hcloud} with the dev token would be. */
    HetznerClient simulator() {
        return HetznerClient.create(HetznerConfig.defaults().withBaseUrl(URI.create(dev.env().get("CLF_HCLOUD_API_URL"))),
                () -> DevMode.DEV_HCLOUD_TOKEN);
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> awaitDone(String jobId) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            Map<String, Object> job = (Map<String, Object>) SocketHttp.get(dev.socketPath(), Protocol.jobPath(jobId))
                    .json().get("job");
            if ("done".equals(job.get("status"))) {
                return job;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never done: " + job + "\nlog:\n" + logged);
            }
            Thread.sleep(20);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void theDefaultsSpawnATypeStillSoldFromTheLabelledSnapshot() throws Exception {
        start(Map.of());

        SocketHttp.Response answer = SocketHttp.post(dev.socketPath(), Protocol.ENQUEUE, SPAWN.formatted("d-1", ""));
        assertEquals(200, answer.status(), answer.toString());
        Map<String, Object> job = awaitDone((String) answer.json().get("jobId"));

        Map<String, Object> server = (Map<String, Object>) ((Map<String, Object>) job.get("result")).get("server");
        assertEquals(Long.toString(HetznerSimulator.DEV_SNAPSHOT_ID), server.get("imageId"),
                "the result names the image id label:role=clf-cattle resolved to: " + server);
        Server made = simulator().listServers("managed-by=clf").get(0);
        assertEquals("cx23", made.serverType());
        ServerType type = simulator().listServerTypes().stream().filter(t -> t.name().equals(made.serverType()))
                .findFirst().orElseThrow();
        assertNull(type.offerIn(made.location()).orElseThrow().deprecation(), "not deprecated where it was made");
        assertFalse(logged.toString().contains("cattle.catalog-deprecated"), logged.toString());
        assertEquals(1, logged.toString().lines().filter(line -> line.contains(" INFO cattle.legacy-adopted servers=0 "))
                .count(), "the start says once how many of the original's servers it found: " + logged);
        Map<String, Object> health = SocketHttp.get(dev.socketPath(), Protocol.HEALTH).json();
        Map<String, Object> check = (Map<String, Object>) ((Map<String, Object>) health.get("checks"))
                .get(Health.HETZNER_CATALOG);
        assertEquals(true, check.get("ok"), health.toString());
    }

    @Test
    @SuppressWarnings("unchecked")
    void aConfiguredCx22IsAWarnAndPastItsDateAFailingStatusCheck() throws Exception {
        start(Map.of("CLF_CATTLE_SERVER_TYPE", "cx22"));

        String out = logged.toString();
        assertTrue(out.lines().anyMatch(line -> line.contains(" WARN cattle.catalog-deprecated ")
                && line.contains("cx22") && line.contains("2025-12-31")), out);
        SocketHttp.Response health = SocketHttp.get(dev.socketPath(), Protocol.HEALTH);
        assertEquals(503, health.status(), health.toString());
        assertEquals(List.of(Health.HETZNER_CATALOG), health.json().get("failed"));
        Map<String, Object> status = SocketHttp.get(dev.socketPath(), Protocol.STATUS).json();
        Map<String, Object> check = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>)
                status.get("health")).get("checks")).get(Health.HETZNER_CATALOG);
        assertEquals(false, check.get("ok"));
        assertTrue(((String) check.get("detail")).startsWith("CLF_CATTLE_SERVER_TYPE: server type 'cx22' is deprecated "
                + "in nbg1 and unavailable since 2025-12-31"), check.toString());
        String metrics = SocketHttp.get(dev.socketPath(), Protocol.METRICS).body();
        assertEquals(0, Exposition.parse(metrics).get("clf_health_check_ok").value("check", Health.HETZNER_CATALOG));
    }

    @Test
    void anUnknownTypeStopsTheStartNamingTheVariableAndTheChoices() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> env = Map.of("CLF_CATTLE_SERVER_TYPE", "cx99", "CLF_SHUTDOWN_GRACE_MS", "200");

        int code = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> Main.run(new PrintStream(out, true),
                new PrintStream(err, true), env, "--dev", "--state-dir", dir.resolve("dev").toString()));

        assertEquals(Main.FAILED, code);
        String said = err.toString(StandardCharsets.UTF_8);
        assertTrue(said.contains("CLF_CATTLE_SERVER_TYPE: Hetzner has no server type 'cx99' (closest: cx23, cx33, cx43)"
                + "; not deprecated in nbg1: ") && said.contains("hcloud server-type list"), said);
    }

    @Test
    @SuppressWarnings("unchecked")
    void anOverrideHetznerDoesNotSellIsRefusedAtEnqueue() throws Exception {
        start(Map.of("CLF_CATTLE_ALLOWED_SERVER_TYPES", "cx99"));

        SocketHttp.Response answer = SocketHttp.post(dev.socketPath(), Protocol.ENQUEUE,
                SPAWN.formatted("o-1", "\"serverType\":\"cx99\","));

        assertEquals(400, answer.status(), answer.toString());
        String message = (String) ((Map<String, Object>) answer.json().get("error")).get("message");
        assertTrue(message.startsWith("payload.serverType: Hetzner has no server type 'cx99' (closest: cx23, cx33, cx43)"),
                message);
        assertEquals(List.of(), ((List<?>) SocketHttp.get(dev.socketPath(), Protocol.JOBS).json().get("jobs")),
                "nothing was queued");
    }
}
