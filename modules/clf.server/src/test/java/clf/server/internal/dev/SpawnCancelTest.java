package clf.server.internal.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.hetzner.sim.HetznerSimulator;
import clf.hetzner.sim.SimServer;
import clf.protocol.Protocol;
import clf.protocol.WireTime;
import clf.secrets.BootstrapTokens;
import clf.secrets.Redemption;
import clf.secrets.SecretSource;
import clf.server.internal.config.OrchestratorConfig;
import clf.server.internal.status.SocketHttp;
import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A bot cancels a running spawn over the socket of a real daemon (dev mode: the real daemon,
 * workers, store and cattle listener, with a simulated Hetzner), which renews leases every 30 s
 * as in production: the cancel must not wait for that. Boots of 3 s and 45 s, canceled 0.2 s,
 * 1 s and 2.5 s after the enqueue: every spawn ends canceled, never done; its server is deleted
 * (events cancel-requested, cattle.server-deleted, cancel), its token no longer redeems and its
 * capacity slot is free.
 */
class SpawnCancelTest extends DevDaemonFixture {
    static final String SPAWN = """
            {"protocolVersion":1,"requester":"%s","kind":"cattle.spawn","idempotencyKey":"%s",
             "payload":{"identity":"rex","ttl":"1h","serverType":"cx23","image":"ubuntu-24.04",
             "task":{"schemaVersion":1,"taskId":"t-1","type":"clawdbot.gateway.agent","message":"hello"}}}""";
    static final long[] CANCEL_AFTER_MS = {200, 1_000, 2_500};
    static final int ROUNDS = 2;

    final Map<String, String> tokens = new ConcurrentHashMap<>();
    OrchestratorConfig config;
    HetznerSimulator sim;

    void start(Duration boot) throws IOException {
        startDev(Map.of("CLF_DEV_BOOT_DELAY_MS", Long.toString(boot.toMillis()),
                "CLF_SHUTDOWN_GRACE_MS", "200", "CLF_WORKER_CONCURRENCY", "4", "CLF_CATTLE_MAX_PER_REQUESTER", "10"));
        config = OrchestratorConfig.fromEnv(dev.env());
        assertEquals(Duration.ofSeconds(30), config.workerLeaseRefresh(), "the production heartbeat");
        sim = dev.simulator();
        // The token each create hands its VM, read from the user_data as cloud-init would.
        sim.addObserver(exchange -> {
            if ("POST /servers".equals(exchange.route())) {
                try {
                    Map<String, Object> body = JSON.std.mapFrom(exchange.requestBody());
                    Map<?, ?> labels = (Map<?, ?>) body.get("labels");
                    tokens.put((String) labels.get("clf-job-id"),
                            (String) SimulatedVms.bootstrapOf((String) body.get("user_data")).get("token"));
                } catch (IOException | RuntimeException e) {
                    tokens.put("unreadable", e.toString());
                }
            }
        });
        startDaemon(config);
    }

    String enqueue(String requester, String key) throws IOException {
        SocketHttp.Response answer = SocketHttp.post(socket, Protocol.ENQUEUE, SPAWN.formatted(requester, key));
        assertEquals(200, answer.status(), answer.toString());
        return (String) answer.json().get("jobId");
    }

    SocketHttp.Response cancel(String jobId) throws IOException {
        return SocketHttp.post(socket, Protocol.cancelPath(jobId), "");
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> job(String jobId) throws IOException {
        return (Map<String, Object>) SocketHttp.get(socket, Protocol.jobPath(jobId)).json().get("job");
    }

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> events(String jobId) throws IOException {
        return (List<Map<String, Object>>) SocketHttp.get(socket, Protocol.jobPath(jobId) + "/events").json()
                .get("events");
    }

    /** The job once it ended; it must end within {@code within}. */
    Map<String, Object> awaitEnd(String jobId, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            Map<String, Object> job = job(jobId);
            if (List.of("done", "failed", "canceled").contains(job.get("status"))) {
                return job;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("job " + jobId + " still " + job.get("status") + " after " + within
                        + "\nevents: " + events(jobId) + "\nlog:\n" + logged);
            }
            Thread.sleep(20);
        }
    }

    List<SimServer> serversOf(String jobId) {
        return sim.servers().stream().filter(server -> jobId.equals(server.labels().get("clf-job-id"))).toList();
    }

    void awaitNoServer(String jobId, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!serversOf(jobId).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": servers left: " + serversOf(jobId));
            }
            Thread.sleep(20);
        }
    }

    boolean holdsASlot(String jobId) throws Exception {
        Path capacity = config.cattle().tokensPath().resolveSibling("capacity.sqlite");
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + capacity);
             PreparedStatement select = connection.prepareStatement("SELECT 1 FROM spawn_slots WHERE job_id = ?")) {
            select.setString(1, jobId);
            try (ResultSet row = select.executeQuery()) {
                return row.next();
            }
        }
    }

    /** What a canceled spawn must leave: nothing. Returns ms from the cancel request to the server's delete, or -1. */
    long assertUndone(String jobId, String what) throws Exception {
        Map<String, Object> job = awaitEnd(jobId, Duration.ofSeconds(10));
        List<Map<String, Object>> events = events(jobId);
        List<String> types = events.stream().map(event -> (String) event.get("type")).toList();
        assertEquals("canceled", job.get("status"), what + ": " + types + "\nlog:\n" + logged);
        assertEquals("canceled on request", job.get("lastError"), what);
        // Deleted when the job ended (Hetzner, and the simulator, take a while to remove it): gone soon after.
        assertEquals(List.of(), serversOf(jobId).stream().filter(server -> !server.status().equals("deleting")).toList(),
                what + ": every server of the job is being deleted");
        awaitNoServer(jobId, what);
        assertTrue(!holdsASlot(jobId), what + ": the capacity slot is free");
        int requested = types.indexOf("cancel-requested");
        int deleted = types.indexOf("cattle.server-deleted");
        int canceled = types.indexOf("cancel");
        assertTrue(requested >= 0 && canceled == types.size() - 1, what + ": " + types);
        String token = tokens.get(jobId);
        if (token == null) {
            assertEquals(-1, deleted, what + ": no create, nothing to delete: " + types);
            return -1;
        }
        // A create went out: its server was deleted between the cancel request and the job's end.
        assertTrue(requested < deleted && deleted < canceled, what + ": " + types);
        try (BootstrapTokens store = BootstrapTokens.open(config.cattle().tokensPath(), Clock.systemUTC())) {
            Redemption redemption = store.redeem(token, new SecretSource(null, Map.of()), grant -> Optional.empty());
            assertInstanceOf(Redemption.Refused.class, redemption, what + ": the token must not redeem");
        }
        Instant requestedAt = WireTime.parse("at", (String) events.get(requested).get("at"));
        Instant deletedAt = WireTime.parse("at", (String) events.get(deleted).get("at"));
        return Duration.between(requestedAt, deletedAt).toMillis();
    }

    @ParameterizedTest(name = "boot {0} ms")
    @ValueSource(longs = {3_000, 45_000})
    void aCanceledSpawnEndsCanceledAndLeavesNothingBehind(long bootMs) throws Exception {
        start(Duration.ofMillis(bootMs));
        ExecutorService bots = Executors.newFixedThreadPool(CANCEL_AFTER_MS.length);
        try {
            List<String> latencies = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
                List<Future<String>> spawns = new ArrayList<>();
                for (long afterMs : CANCEL_AFTER_MS) {
                    String key = "cancel-" + bootMs + "-" + round + "-" + afterMs;
                    spawns.add(bots.submit(() -> {
                        String id = enqueue("bot" + afterMs, key);
                        Thread.sleep(afterMs);
                        SocketHttp.Response answer = cancel(id);
                        assertEquals(200, answer.status(), answer.toString());
                        return id;
                    }));
                }
                for (int i = 0; i < spawns.size(); i++) {
                    String id = spawns.get(i).get();
                    long ms = assertUndone(id, "boot " + bootMs + " ms, canceled after " + CANCEL_AFTER_MS[i] + " ms");
                    latencies.add(CANCEL_AFTER_MS[i] + " ms: " + (ms < 0 ? "before its create" : ms + " ms"));
                }
            }
            System.out.println("boot " + bootMs + " ms, cancel-requested to server-deleted, by cancel time: "
                    + latencies);
        } finally {
            bots.shutdownNow();
        }
    }

    @Test
    void aCancelRecordedByAnotherProcessStopsTheSpawnWithinThePollInterval() throws Exception {
        start(Duration.ofSeconds(45));
        String id = enqueue("maren", "other-process");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (events(id).stream().noneMatch(event -> "cattle.server-created".equals(event.get("type")))) {
            assertTrue(System.nanoTime() < deadline, "no server created: " + events(id));
            Thread.sleep(20);
        }

        Process other = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), CancelFromAnotherProcess.class.getName(),
                config.dbPath().toString(), id).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String outcome = new String(other.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, other.waitFor());
        assertEquals("CANCEL_REQUESTED", outcome);

        long ms = assertUndone(id, "canceled by another process");
        // The cancel watch runs every CLF_WORKER_POLL_MS (dev mode: 200 ms); the lease renewal
        // that used to carry the cancel comes after 30 s.
        assertEquals(Duration.ofMillis(200), config.workerPoll());
        assertTrue(ms < 2_000, "the server was deleted " + ms + " ms after the cancel");
        System.out.println("another process: cancel-requested to server-deleted " + ms + " ms");
    }

    @Test
    void aCancelWhileTheCreateIsInFlightDeletesTheServerOnceTheCreateAnswers() throws Exception {
        start(Duration.ofSeconds(3));
        // The create's answer is held 1.5 s, armed on the request just before it (a fresh simulator
        // has no firewall: the spawn makes it, then creates); the bot cancels meanwhile.
        AtomicBoolean armed = new AtomicBoolean(true);
        AtomicBoolean canceledInFlight = new AtomicBoolean();
        sim.addObserver(exchange -> {
            if (exchange.route().equals("POST /firewalls") && armed.compareAndSet(true, false)) {
                sim.holdNext(1, Duration.ofMillis(1_500));
            }
            if ("POST /servers".equals(exchange.route())) {
                try {
                    String jobId = (String) ((Map<?, ?>) JSON.std.mapFrom(exchange.requestBody()).get("labels"))
                            .get("clf-job-id");
                    canceledInFlight.set(cancel(jobId).status() == 200);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        });

        String id = enqueue("maren", "in-flight");

        long ms = assertUndone(id, "canceled while its create was out");
        assertTrue(canceledInFlight.get(), "the cancel came while the create was out");
        List<String> types = events(id).stream().map(event -> (String) event.get("type")).toList();
        assertEquals(List.of("enqueue", "claim", "cattle.server-requested", "cancel-requested", "cattle.server-created",
                "cattle.server-deleted", "cancel"), types);
        assertEquals(1, sim.count("POST /servers"), "one create, answered and undone");
        System.out.println("create in flight: cancel-requested to server-deleted " + ms + " ms");
    }
}
