package clf.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.protocol.StatusReport;
import clf.protocol.WireStatus;
import com.fasterxml.jackson.jr.ob.JSON;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code bin/clf status} against the real daemon of the image (dev mode): a healthy
 * daemon and the figures its work moves, in both output modes, and exit 2 naming the failed
 * check when a worker runs past its lease because another process holds the store's write lock.
 */
class StatusIT {
    @TempDir
    Path dir;

    interface Step<T> {
        T get() throws Exception;
    }

    static <T> T await(Step<T> ask, Predicate<T> done, Duration timeout, String what) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = ask.get();
        while (!done.test(last)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + "; last: " + last);
            }
            Thread.sleep(100);
            last = ask.get();
        }
        return last;
    }

    static StatusReport report(Image.Result json) throws Exception {
        Object parsed = JSON.std.anyFrom(json.out());
        assertEquals(1, ((Map<?, ?>) parsed).get("protocolVersion"), json.out());
        return StatusReport.fromJson(parsed);
    }

    String spawn(Cli clf, String key) throws Exception {
        Path task = Files.writeString(dir.resolve("task-" + key + ".json"),
                "{\"schemaVersion\": 1, \"taskId\": \"t-1\", \"type\": \"clawdbot.gateway.agent\", \"message\": \"hi\"}");
        Image.Result enqueued = clf.run("jobs", "enqueue", "cattle.spawn", "--requester", "maren", "--idempotency-key",
                key, "--identity", "rex", "--task-file", task.toString(), "--ttl", "1h");
        assertEquals(0, enqueued.exitCode(), enqueued.toString());
        return enqueued.out().strip();
    }

    @Test
    void statusShowsAHealthyDaemonAndTheFiguresItsWorkMoves() throws Exception {
        // The VM's agent reports its task finished; with deletion on finish that would enqueue a reap
        // and delete the server while the figures are read. Off, the figures below are the spawn's alone.
        try (DaemonProcess daemon = DaemonProcess.start(dir, Map.of("CLF_DEV_BOOT_DELAY_MS", "200",
                "CLF_CATTLE_DELETE_ON_FINISH", "0"))) {
            Cli clf = Cli.on(daemon.socket());

            Image.Result fresh = clf.run("status");
            assertEquals(0, fresh.exitCode(), fresh.toString());
            assertTrue(fresh.out().startsWith("health: ok\n  database "), fresh.out());
            for (String line : new String[] {"  botSocket ", "  cattleListener ", "  workers ",
                    "\ndaemon   clf-orchestrator " + Image.VERSION + ", up ", "\ncattle   0 of 10 servers\n",
                    "\nwaits    no claims yet\n"}) {
                assertTrue(fresh.out().contains(line), line + " in\n" + fresh.out());
            }
            assertEquals("", fresh.err());

            String id = spawn(clf, "status-1");
            Image.Result waited = clf.run("jobs", "wait", "--job-id", id, "--timeout", "60s");
            assertEquals(0, waited.exitCode(), waited.toString());
            StatusReport after = await(() -> report(clf.run("status", "--json")),
                    r -> r.cattle().tokens().redeemed() == 1, Duration.ofSeconds(30), "the VM never redeemed its token");

            assertTrue(after.health().ok(), after.health().toString());
            assertEquals(Image.VERSION, after.version());
            assertEquals(1, after.jobs().total(WireStatus.DONE));
            assertEquals(1, after.cattle().servers());
            assertEquals(1, after.cattle().tokens().issued());
            assertEquals(1, after.claimLatency().stream().filter(t -> t.kind().equals("cattle.spawn"))
                    .mapToLong(t -> t.seconds().count()).sum());
            assertTrue(after.cattle().hetzner().answered(200, 299) > 0);
            Image.Result human = clf.run("status");
            assertTrue(human.out().contains("\ntokens   1 issued, 1 redeemed, 0 revoked, 0 refused, 0 expired unused\n"),
                    human.out());
            assertTrue(human.out().contains("\nwaits    1 claim, from runnable to claimed: p50 ≤ "), human.out());

            UnixHttp.Response metrics = UnixHttp.call(daemon.socket(), "GET", "/metrics", null);
            assertEquals(200, metrics.status(), metrics.toString());
            assertEquals("text/plain; version=0.0.4; charset=utf-8", metrics.header("Content-Type"));
            assertTrue(metrics.bodyText().contains("\nclf_jobs{kind=\"cattle.spawn\",status=\"done\"} 1\n"),
                    metrics.bodyText());
            assertTrue(metrics.bodyText().contains("\nclf_bootstrap_tokens_redeemed_total 1\n"), metrics.bodyText());
            assertFalse(metrics.bodyText().contains(id), "no job id in the metrics");
            daemon.stop();
        }
    }

    @Test
    void statusExitsTwoAndNamesTheFailedCheck() throws Exception {
        // A long boot keeps the spawn running on a 1 s lease; this test then holds the store's write
        // lock from another process's connection, so the heartbeat cannot renew it.
        try (DaemonProcess daemon = DaemonProcess.start(dir, Map.of("CLF_DEV_BOOT_DELAY_MS", "60000",
                "CLF_WORKER_LEASE_MS", "1000", "CLF_WORKER_LEASE_REFRESH_MS", "200"))) {
            Cli clf = Cli.on(daemon.socket());
            String id = spawn(clf, "stuck-1");
            await(() -> clf.run("jobs", "show", "--job-id", id).out(), out -> out.contains("status           running"),
                    Duration.ofSeconds(30), "the spawn never started");

            try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("state.sqlite"));
                 Statement sql = other.createStatement()) {
                sql.execute("PRAGMA busy_timeout = 10000");
                sql.execute("BEGIN IMMEDIATE");
                Image.Result unwell = await(() -> clf.run("status"), r -> r.exitCode() != 0, Duration.ofSeconds(20),
                        "clf status stayed 0 while the lease could not be renewed");

                assertEquals(2, unwell.exitCode(), unwell.toString());
                assertTrue(unwell.out().startsWith("health: FAILING (workers)\n"), unwell.out());
                assertTrue(unwell.out().contains("1 past their lease"), unwell.out());
                assertEquals("clf: the orchestrator is unhealthy: workers failed\n", unwell.err());
                Image.Result json = clf.run("status", "--json");
                assertEquals(2, json.exitCode(), json.toString());
                assertFalse(report(json).health().ok());
                assertEquals("", json.err());
                UnixHttp.Response health = UnixHttp.call(daemon.socket(), "GET", "/healthz", null);
                assertEquals(503, health.status(), health.toString());
                assertEquals(false, health.json().get("ok"));
                sql.execute("ROLLBACK");
            }

            Image.Result recovered = await(() -> clf.run("status"), r -> r.exitCode() == 0, Duration.ofSeconds(20),
                    "clf status did not recover once the lock was released");
            assertTrue(recovered.out().startsWith("health: ok\n"), recovered.out());
            daemon.stop();
        }
    }
}
