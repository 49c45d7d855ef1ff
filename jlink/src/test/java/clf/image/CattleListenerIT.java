package clf.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.hetzner.sim.SimServer;
import clf.testing.RawHttp;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cattle listener of the real daemon (spec §1.2): routes, headers, bearer parsing, one-time
 * redemption under a 64-way race, and the job event it leaves; plus dev mode's promises.
 */
class CattleListenerIT {
    static final String HCLOUD = "hcloud-listener-it";
    static final String OPENAI = "sk-listener-it-only-alias";

    @TempDir
    static Path dir;
    static CattleRig rig;

    @BeforeAll
    static void start() throws Exception {
        // Only one of the two OpenAI aliases is set, and a GitHub token no spawn asks for.
        rig = CattleRig.start(dir, HCLOUD, Map.of("HCLOUD_TOKEN", HCLOUD, "TAILSCALE_AUTH_KEY", "tskey-listener-it",
                "OPEN_AI_APIKEY", OPENAI, "GITHUB_TOKEN", "ghp-listener-it"));
    }

    @AfterAll
    static void stop() throws Exception {
        rig.close();
    }

    static void assertCattleHeaders(RawHttp.Response response) {
        assertEquals("application/json; charset=utf-8", response.headers().get("content-type"), response.toString());
        assertEquals("no-store", response.headers().get("cache-control"), response.toString());
        assertEquals("nosniff", response.headers().get("x-content-type-options"), response.toString());
        assertTrue(response.body().endsWith("}\n"), response.body());
    }

    @Test
    void healthzUnknownRoutesAndBearerParsing() throws Exception {
        RawHttp.Response health = rig.request("GET", "/healthz", null);
        assertEquals(200, health.status());
        assertEquals("{\n  \"ok\" : true\n}\n", health.body());
        assertCattleHeaders(health);

        RawHttp.Response unknown = rig.request("GET", "/v1/cattle/secrets", null);
        assertEquals(404, unknown.status());
        assertEquals("not found", unknown.errorMessage());
        assertCattleHeaders(unknown);

        for (String header : new String[] {null, "Bearer", "Basic dXNlcg==", "Bearerabc"}) {
            RawHttp.Response missing = rig.request("GET", "/v1/cattle/env", header);
            assertEquals(401, missing.status(), "[" + header + "]");
            assertEquals("missing bearer token", missing.errorMessage());
            assertCattleHeaders(missing);
        }
        RawHttp.Response invalid = rig.request("GET", "/v1/cattle/env", "bearer \t " + "0".repeat(64));
        assertEquals(401, invalid.status());
        assertEquals("invalid/expired token", invalid.errorMessage());
    }

    @Test
    void aRequestWithMoreHeadersThanTheBotApiAllowsIsRefusedBeforeItsTokenIsLookedAt() throws Exception {
        StringBuilder head = new StringBuilder("GET /v1/cattle/env HTTP/1.1\r\nHost: cattle\r\n"
                + "Authorization: Bearer " + "0".repeat(64) + "\r\n");
        for (int i = 0; i < 100; i++) {
            head.append("X-Filler-").append(i).append(": ").append(i).append("\r\n");
        }
        String answer;
        try (Socket socket = new Socket("127.0.0.1", rig.port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException reset) {
            answer = "";
        }
        // Undertow's own limit is 200 headers: with it, this request would reach the route (401).
        assertFalse(answer.startsWith("HTTP/1.1 401"), answer);
        assertTrue(answer.isEmpty() || answer.startsWith("HTTP/1.1 400"), answer);
        assertEquals(200, rig.request("GET", "/healthz", null).status());
    }

    @Test
    void sixtyFourConcurrentRedemptionsOfOneTokenGiveExactlyOne200() throws Exception {
        String job = rig.spawn("rex", "race");
        SimServer server = rig.awaitServer(job);
        String token = CattleRig.tokenOf(server);

        ExecutorService pool = Executors.newFixedThreadPool(64);
        List<RawHttp.Response> responses = new ArrayList<>();
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<RawHttp.Response>> calls = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                int source = i + 1; // each its own address: one address past 30 failures a minute is answered 429
                calls.add(pool.submit(() -> {
                    go.await();
                    return rig.requestFrom(source, "GET", "/v1/cattle/env", "Bearer " + token);
                }));
            }
            go.countDown();
            for (Future<RawHttp.Response> call : calls) {
                responses.add(call.get());
            }
        } finally {
            pool.shutdownNow();
        }
        Map<Integer, Integer> statuses = new TreeMap<>();
        responses.forEach(response -> statuses.merge(response.status(), 1, Integer::sum));
        assertEquals(Map.of(200, 1, 401, 63), statuses, "64 racers, one winner");

        RawHttp.Response winner = responses.stream().filter(r -> r.status() == 200).findFirst().orElseThrow();
        assertCattleHeaders(winner);
        Map<?, ?> env = (Map<?, ?>) winner.json().get("env");
        assertEquals(OPENAI, env.get("OPENAI_API_KEY"), "every alias is filled from the one that is set");
        assertEquals(OPENAI, env.get("OPEN_AI_APIKEY"));
        assertFalse(env.containsKey("GITHUB_TOKEN"), "not asked for: " + env.keySet());
        responses.stream().filter(r -> r.status() == 401).forEach(r -> assertCattleHeaders(r));

        RawHttp.Response reused = rig.request("GET", "/v1/cattle/env", "Bearer " + token);
        assertEquals(401, reused.status());
        assertEquals("invalid/expired token", reused.errorMessage());

        rig.awaitStatus(job, "done");
        List<?> events = rig.events(job);
        assertEquals(1, CattleRig.count(events, "cattle.env-fetched"), events.toString());
        assertTrue(rig.daemon.awaitLog("cattle.env-fetched job=" + job, Duration.ofSeconds(5)), rig.daemon.output());
        // Failures are logged once a minute, all together; stopping writes the minute so far.
        rig.daemon.stop();
        List<String> refusals = rig.daemon.out().lines().filter(l -> l.contains("cattle.env-refused")
                && l.contains("token already used (job " + job + ")")).toList();
        assertEquals(1, refusals.size(), rig.daemon.output());
        assertTrue(refusals.get(0).contains("token already used (job " + job + "): 64"),
                "the 63 racers and the reuse: " + refusals.get(0));
        rig.restart();
    }

    @Test
    void devModeSaysHetznerIsSimulatedAndRunsTheSeedsSpawnToDone(@TempDir Path devDir) throws Exception {
        try (DaemonProcess dev = DaemonProcess.start(devDir, Map.of("CLF_DEV_BOOT_DELAY_MS", "300"))) {
            assertTrue(dev.out().contains("hetzner=\"SIMULATED: no Hetzner account is used"), dev.output());
            String export = "export CLF_SOCKET_PATH=" + DaemonProcess.socketIn(devDir);
            assertTrue(dev.awaitLog(export + "\n", Duration.ofSeconds(5)), dev.output());

            Cli clf = Cli.on(DaemonProcess.socketIn(devDir));
            Image.Result enqueued = clf.run("jobs", "enqueue", "cattle.spawn", "--requester", "maren", "--identity", "rex",
                    "--task-id", "t-dev", "--message", "hello", "--json");
            assertEquals(0, enqueued.exitCode(), enqueued.toString());
            String job = (String) com.fasterxml.jackson.jr.ob.JSON.std.mapFrom(enqueued.out()).get("jobId");

            // The image's dev mode runs bin/clf-cattle on the VM, which logs to its own file.
            assertTrue(dev.awaitLog("dev.vm-agent-exited", Duration.ofSeconds(30)), dev.output());
            List<?> events = List.of();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                events = (List<?>) com.fasterxml.jackson.jr.ob.JSON.std.mapFrom(
                        clf.run("jobs", "events", job, "--json").out()).get("events");
                if (CattleRig.count(events, "ack") == 1 && CattleRig.count(events, "cattle.env-fetched") == 1) {
                    break;
                }
                Thread.sleep(100);
            }
            List<Object> types = events.stream().<Object>map(e -> ((Map<?, ?>) e).get("type")).toList();
            assertEquals(List.of("enqueue", "claim"), types.subList(0, 2), "queued, then running: " + types);
            assertTrue(types.contains("ack"), "then done: " + types);
            assertEquals(1, CattleRig.count(events, "cattle.env-fetched"), types.toString());
            assertTrue(dev.out().lines().anyMatch(l -> l.contains("dev.vm-agent-exited") && l.contains("exit_code=0")),
                    dev.output());
            String agentLog;
            try (var vms = java.nio.file.Files.list(devDir.resolve("dev/vms"))) {
                agentLog = java.nio.file.Files.readString(vms.findFirst().orElseThrow().resolve("agent.log"));
            }
            assertTrue(agentLog.contains("agent.env-fetched variables=OPENAI_API_KEY,OPEN_AI_APIKEY"), agentLog);
            dev.stop();
        }
    }
}
