package clf.server.internal.status;

import clf.server.internal.dev.DevDaemonFixture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.protocol.Health;
import clf.protocol.Protocol;
import clf.protocol.StatusReport;
import clf.protocol.WireStatus;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * {@code /healthz}, {@code /metrics} and {@code /v1/status} of a real daemon (dev mode: a
 * simulated Hetzner whose simulated VMs redeem their tokens over the real cattle listener), with
 * its real store, asked over its real Unix socket.
 */
class StatusEndpointsTest extends DevDaemonFixture {
    static final String SPAWN = """
            {"protocolVersion":1,"requester":"maren","kind":"cattle.spawn","idempotencyKey":"%s",
             "payload":{"identity":"rex","ttl":"1h","task":{"schemaVersion":1,"taskId":"t-1",
             "type":"clawdbot.gateway.agent","message":"hello"}}}""";


    String enqueueSpawn(String key) throws IOException {
        SocketHttp.Response answer = SocketHttp.post(socket, Protocol.ENQUEUE, SPAWN.formatted(key));
        assertEquals(200, answer.status(), answer.toString());
        return (String) answer.json().get("jobId");
    }

    @SuppressWarnings("unchecked")
    String statusOf(String jobId) throws IOException {
        return (String) ((Map<String, Object>) SocketHttp.get(socket, Protocol.jobPath(jobId)).json().get("job"))
                .get("status");
    }

    /** Asks {@code ask} until {@code done} holds of the answer; fails with the last answer and the log. */
    <T> T await(IoSupplier<T> ask, Predicate<T> done, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        T last = ask.get();
        while (!done.test(last)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + "; last: " + last + "\nlog:\n" + logged);
            }
            Thread.sleep(20);
            last = ask.get();
        }
        return last;
    }

    interface IoSupplier<T> {
        T get() throws Exception;
    }

    Map<String, Exposition.Family> metrics() throws IOException {
        SocketHttp.Response answer = SocketHttp.get(socket, Protocol.METRICS);
        assertEquals(200, answer.status(), answer.toString());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", answer.header("Content-Type"));
        return Exposition.parse(answer.body());
    }

    @Test
    void healthzAnswersV1sOkWithWhatEachCheckSaw() throws Exception {
        start(Map.of());

        SocketHttp.Response answer = SocketHttp.get(socket, Protocol.HEALTH);

        assertEquals(200, answer.status(), answer.toString());
        assertEquals("application/json", answer.header("Content-Type"));
        Map<String, Object> body = answer.json();
        assertEquals(true, body.get("ok"));
        assertFalse(body.containsKey("protocolVersion"), "v1's /healthz has no protocolVersion: " + body);
        assertEquals(List.of(), body.get("failed"));
        Map<?, ?> checks = (Map<?, ?>) body.get("checks");
        assertEquals(List.of(Health.DATABASE, Health.BOT_SOCKET, Health.CATTLE_LISTENER, Health.WORKERS,
                Health.HETZNER_CATALOG, Health.PEER_VERIFICATION), List.copyOf(checks.keySet()));
        for (Object check : checks.values()) {
            assertEquals(true, ((Map<?, ?>) check).get("ok"), body.toString());
        }
        assertEquals("4 of 4 alive, 0 busy, 0 past their lease", ((Map<?, ?>) checks.get(Health.WORKERS)).get("detail"));
    }

    @Test
    void metricsAreStrictPrometheusTextAndMoveWithRealWork() throws Exception {
        start(Map.of());
        Map<String, Exposition.Family> before = metrics();
        assertEquals(0, before.get("clf_jobs").value("kind", "cattle.spawn", "status", "done"));
        assertEquals(0, before.get("clf_job_claim_latency_seconds")
                .sample("clf_job_claim_latency_seconds_count", "kind", "cattle.spawn"));
        assertEquals(0, before.get("clf_bootstrap_tokens_issued_total").value());
        assertEquals(1, before.get("clf_health_check_ok").value("check", Health.CATTLE_LISTENER));

        String id = enqueueSpawn("metrics-1");
        await(() -> statusOf(id), "done"::equals, "the spawn never ended done");
        Map<String, Exposition.Family> after = await(this::metrics,
                m -> m.get("clf_bootstrap_tokens_redeemed_total").value() == 1, "the VM never redeemed its token");

        assertEquals(1, after.get("clf_jobs").value("kind", "cattle.spawn", "status", "done"));
        assertEquals(0, after.get("clf_jobs").value("kind", "cattle.spawn", "status", "queued"));
        assertEquals(1, after.get("clf_job_claim_latency_seconds")
                .sample("clf_job_claim_latency_seconds_count", "kind", "cattle.spawn"));
        assertEquals(1, after.get("clf_job_handler_duration_seconds")
                .sample("clf_job_handler_duration_seconds_count", "kind", "cattle.spawn", "outcome", "done"));
        assertTrue(after.get("clf_job_handler_duration_seconds")
                .sample("clf_job_handler_duration_seconds_sum", "kind", "cattle.spawn", "outcome", "done") > 0);
        assertEquals(1, after.get("clf_bootstrap_tokens_issued_total").value());
        assertEquals(0, after.get("clf_bootstrap_tokens_refused_total").value("reason", "invalid"));
        assertEquals(1, after.get("clf_cattle_servers").value());
        assertEquals(10, after.get("clf_cattle_max_instances").value());
        assertTrue(after.get("clf_hetzner_requests_total").value("class", "2xx", "code", "201") >= 1,
                "POST /servers answered 201");
        double limit = after.get("clf_hetzner_ratelimit_limit").value();
        double remaining = after.get("clf_hetzner_ratelimit_remaining").value();
        assertTrue(remaining > 0 && remaining < limit, remaining + " of " + limit);
        assertEquals(4, after.get("clf_workers_configured").value());
        assertEquals(4, after.get("clf_workers_alive").value());
        assertFalse(SocketHttp.get(socket, Protocol.METRICS).body().contains("maren"),
                "no requester appears in metrics");
        assertFalse(SocketHttp.get(socket, Protocol.METRICS).body().contains(id), "no job id appears in metrics");
    }

    @Test
    void statusIsTheSameFiguresAsJsonOfProtocolV1() throws Exception {
        start(Map.of());
        String id = enqueueSpawn("status-1");
        await(() -> statusOf(id), "done"::equals, "the spawn never ended done");

        SocketHttp.Response answer = SocketHttp.get(socket, Protocol.STATUS);

        assertEquals(200, answer.status(), answer.toString());
        Map<String, Object> json = answer.json();
        assertEquals(1, json.get("protocolVersion"));
        StatusReport report = StatusReport.fromJson(json);
        assertTrue(report.health().ok(), report.health().toString());
        assertEquals(1, report.jobs().total(WireStatus.DONE));
        assertEquals(List.of("cattle.reap", "cattle.spawn", "clf.prune"), report.workers().kinds());
        assertEquals(4, report.workers().configured());
        assertEquals(1, report.cattle().servers());
        assertEquals(1, report.cattle().tokens().issued());
        assertTrue(report.cattle().hetzner().answered(200, 299) > 0);
        assertTrue(report.at().isAfter(report.startedAt()));
        assertFalse(answer.body().contains("maren"), "no requester appears in the status: " + answer.body());
    }

    @Test
    void healthzIs503WhileAWorkerRunsPastItsLease() throws Exception {
        // A long boot keeps the spawn running; another connection then holds the store's write
        // lock, so the heartbeat cannot renew the 1 s lease: the worker runs past it.
        start(Map.of("CLF_DEV_BOOT_DELAY_MS", "30000", "CLF_WORKER_LEASE_MS", "1000",
                "CLF_WORKER_LEASE_REFRESH_MS", "200"));
        String id = enqueueSpawn("stuck-1");
        await(() -> statusOf(id), "running"::equals, "the spawn never started");

        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + dev.env().get("CLF_DB_PATH"));
             Statement sql = other.createStatement()) {
            sql.execute("PRAGMA busy_timeout = 10000");
            sql.execute("BEGIN IMMEDIATE");
            SocketHttp.Response unwell = await(() -> SocketHttp.get(socket, Protocol.HEALTH), r -> r.status() == 503,
                    "/healthz stayed well while the lease could not be renewed");

            Map<String, Object> body = unwell.json();
            assertEquals(false, body.get("ok"));
            assertEquals(List.of(Health.WORKERS), body.get("failed"));
            Map<?, ?> workers = (Map<?, ?>) ((Map<?, ?>) body.get("checks")).get(Health.WORKERS);
            assertEquals("4 of 4 alive, 1 busy, 1 past their lease", workers.get("detail"));
            assertNull(body.get("protocolVersion"));
            Map<String, Exposition.Family> metrics = metrics();
            assertEquals(1, metrics.get("clf_workers_stuck").value());
            assertEquals(0, metrics.get("clf_health_check_ok").value("check", Health.WORKERS));
            assertEquals(1, metrics.get("clf_health_check_ok").value("check", Health.DATABASE),
                    "reads go on while another process writes");
            sql.execute("ROLLBACK");
        }

        await(() -> SocketHttp.get(socket, Protocol.HEALTH), r -> r.status() == 200,
                "/healthz did not recover once the lock was released");
    }
}
