package clf.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.hetzner.sim.SimListener;
import clf.hetzner.sim.SimServer;
import clf.testing.PostgresCluster;
import clf.testing.Race;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15's proof: three daemons of the image ({@code bin/clf-orchestrator}, separate processes
 * and sockets) on one PostgreSQL (a private cluster, reached over its Unix socket through the
 * image's pgjdbc and junixsocket, logging in with the password from a systemd-style credential
 * file) and one Hetzner project (the simulator in this process). One idempotency key sent to all
 * three at once makes one job; 30 spawns racing across them never make more than
 * {@code maxInstances} servers; 5,000 jobs enqueued round-robin through them are each done
 * exactly once although one daemon is killed with SIGKILL mid-run, its leases taken over by the
 * others. The jobs are dry-run reaps: each lists the project's servers at the simulator, cheap
 * and real. The test reads the outcome with psql, as a third party.
 */
class FleetIT {
    static final int MAX_INSTANCES = 5;
    static final int SPAWNS = 30;
    static final int JOBS = 5_000;

    @TempDir
    Path dir;
    /** The test's database in the shared cluster, which psql reads. */
    String database;

    @Test
    void threeDaemonsOnOnePostgresqlShareOneFleet() throws Exception {
        PostgresCluster cluster = PostgresCluster.shared();
        database = cluster.createDatabase();
        Path credentials = Files.createDirectories(dir.resolve("credentials"));
        Files.copy(cluster.passwordFile(), credentials.resolve("CLF_DATABASE_PASSWORD"));
        try (CattleHost host = new CattleHost(dir)) {
            host.sim.setRateLimit(1_000_000); // 5,000 reaps in minutes; Hetzner's 3,600/h is not the subject here
            host.sim.setBootDelay(Duration.ofMillis(500));
            AtomicInteger mostAtOnce = new AtomicInteger();
            host.sim.addListener(new SimListener() {
                @Override
                public void serverCreated(SimServer created) {
                    mostAtOnce.accumulateAndGet((int) host.sim.servers().stream()
                            .filter(s -> !s.status().equals("deleting")).count(), Math::max);
                }
            });
            ServerLedger ledger = new ServerLedger();
            host.sim.addListener(ledger);
            Map<String, String> env = new HashMap<>(Map.of(
                    "CLF_DATABASE_URL", cluster.url(database),
                    "CREDENTIALS_DIRECTORY", credentials.toString(),
                    "CLF_DATABASE_CONNECTIONS", "6",
                    "CLF_WORKER_CONCURRENCY", "4",
                    "CLF_CATTLE_MAX_INSTANCES", Integer.toString(MAX_INSTANCES),
                    "CLF_CATTLE_MAX_PER_REQUESTER", Integer.toString(SPAWNS)));
            List<DaemonProcess> daemons = new ArrayList<>();
            for (String name : List.of("a", "b", "c")) {
                daemons.add(host.start(name, env));
            }
            for (DaemonProcess daemon : daemons) {
                assertTrue(daemon.out().contains("store.opened engine=PostgreSQL location=\"postgresql://clf@/" + database + " (socket "),
                        daemon.output());
                assertTrue(!daemon.output().contains(cluster.password()), "the password is never logged");
            }

            oneKeySentToAllThreeAtOnceMakesOneJob(host, daemons);
            spawnsRacingAcrossTheFleetStayUnderMaxInstances(host, daemons, mostAtOnce, ledger);
            fiveThousandJobsAreEachDoneOnceThoughADaemonIsKilled(host, daemons);

            for (DaemonProcess daemon : daemons) {
                if (daemon.isAlive()) {
                    daemon.stop();
                }
            }
        }
    }

    /**
     * A dry-run reap with three attempts: a reap's default is one, and a job whose lease runs
     * out on its last attempt fails instead of running again, where the kill wants it taken over.
     */
    static String reap(String requester, String key) {
        return "{\"protocolVersion\":1,\"requester\":\"" + requester + "\",\"idempotencyKey\":\"" + key
                + "\",\"kind\":\"cattle.reap\",\"maxAttempts\":3,\"payload\":{\"dryRun\":true}}";
    }

    static String enqueue(DaemonProcess daemon, String body) throws Exception {
        UnixHttp.Response answer = UnixHttp.call(daemon.socket(), "POST", "/v1/jobs/enqueue", body);
        assertEquals(200, answer.status(), answer.toString());
        return (String) answer.json().get("jobId");
    }

    void oneKeySentToAllThreeAtOnceMakesOneJob(CattleHost host, List<DaemonProcess> daemons) throws Exception {
        for (int round = 0; round < 5; round++) {
            String key = "same-key-" + round;
            Map<String, Integer> ids = Race.count(daemons.size() * 4,
                    i -> enqueue(daemons.get(i % daemons.size()), reap("keyed", key)));
            assertEquals(1, ids.size(), "one job id for every answer: " + ids);
            assertEquals("1", sql(host, "SELECT count(*) FROM jobs WHERE requester = 'keyed' AND idempotency_key = '"
                    + key + "'"));
        }
    }

    void spawnsRacingAcrossTheFleetStayUnderMaxInstances(CattleHost host, List<DaemonProcess> daemons,
            AtomicInteger mostAtOnce, ServerLedger ledger) throws Exception {
        Map<String, Integer> enqueued = Race.count(SPAWNS, i -> enqueue(daemons.get(i % daemons.size()),
                "{\"protocolVersion\":1,\"requester\":\"bot-" + i + "\",\"kind\":\"cattle.spawn\",\"maxAttempts\":1,"
                        + "\"payload\":" + CattleHost.spawnPayload() + "}") == null ? "no id" : "enqueued");
        assertEquals(Map.of("enqueued", SPAWNS), enqueued);
        String done = awaitSql(host, "SELECT count(*) FROM jobs WHERE kind = 'cattle.spawn' AND status IN"
                + " ('done', 'failed', 'canceled')", Integer.toString(SPAWNS));
        assertEquals(Integer.toString(SPAWNS), done);
        assertEquals(MAX_INSTANCES, ledger.entries().size(), "servers ever made");
        assertEquals(MAX_INSTANCES, mostAtOnce.get(), "servers at once");
        assertEquals(Integer.toString(MAX_INSTANCES), sql(host, "SELECT count(*) FROM jobs WHERE kind = 'cattle.spawn'"
                + " AND status = 'done'"));
        assertEquals(Integer.toString(SPAWNS - MAX_INSTANCES), sql(host, "SELECT count(*) FROM jobs WHERE kind ="
                + " 'cattle.spawn' AND status = 'failed' AND last_error LIKE 'max instances reached (5/5)%'"));
        assertEquals("3", sql(host, "SELECT count(DISTINCT substring(e.message from '-([0-9]+)-[0-9]+$')) FROM job_events e"
                + " JOIN jobs j USING (job_id) WHERE j.kind = 'cattle.spawn' AND e.type = 'claim'"),
                "all three daemons ran spawns");
    }

    void fiveThousandJobsAreEachDoneOnceThoughADaemonIsKilled(CattleHost host, List<DaemonProcess> daemons)
            throws Exception {
        long start = System.nanoTime();
        ExecutorService senders = Executors.newFixedThreadPool(daemons.size());
        try {
            List<Future<?>> sent = new ArrayList<>();
            for (int d = 0; d < daemons.size(); d++) {
                int first = d;
                sent.add(senders.submit(() -> {
                    for (int i = first; i < JOBS; i += daemons.size()) {
                        enqueue(daemons.get(first), reap("load", "load-" + i));
                    }
                    return null;
                }));
            }
            // Mid-run: the Hetzner calls slow down so every worker of the victim holds a job
            // (a lease) when it dies; then they speed up again for the rest.
            DaemonProcess victim = daemons.get(2);
            awaitSql(host, "SELECT (count(*) >= " + JOBS / 4 + ")::int FROM jobs WHERE requester = 'load' AND status = 'done'", "1");
            host.sim.setLatency(Duration.ofMillis(600));
            awaitSql(host, "SELECT (count(*) >= 3)::int FROM jobs WHERE status = 'running' AND locked_by LIKE '%-"
                    + victim.pid() + "-%'", "1");
            victim.signal("KILL");
            victim.awaitExit(Duration.ofSeconds(10));
            host.sim.setLatency(Duration.ZERO);
            for (Future<?> sender : sent) {
                try {
                    sender.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    // The victim's sender: its socket went with it. Its share is sent again below.
                }
            }
            for (int i = 2; i < JOBS; i += daemons.size()) {
                // Re-sent with the same key to a live daemon: stored once whatever reached the victim.
                enqueue(daemons.get(i % 2), reap("load", "load-" + i));
            }
        } finally {
            senders.shutdownNow();
        }
        String total = Integer.toString(JOBS);
        awaitSql(host, "SELECT count(*) FROM jobs WHERE requester = 'load' AND status = 'done'", total);
        double seconds = (System.nanoTime() - start) / 1e9;

        assertEquals(total, sql(host, "SELECT count(*) FROM jobs WHERE requester = 'load'"), "one job per key");
        assertEquals(total, sql(host, "SELECT count(*) FROM job_events e JOIN jobs j USING (job_id)"
                + " WHERE j.requester = 'load' AND e.type = 'ack'"), "each done exactly once");
        long victimPid = daemons.get(2).pid();
        String takenOver = sql(host, "SELECT count(DISTINCT j.job_id) FROM jobs j"
                + " JOIN job_events mine ON mine.job_id = j.job_id AND mine.type = 'claim' AND mine.message LIKE '%-" + victimPid + "-%'"
                + " JOIN job_events theirs ON theirs.job_id = j.job_id AND theirs.type = 'claim' AND theirs.id > mine.id"
                + " AND theirs.message NOT LIKE '%-" + victimPid + "-%'"
                + " WHERE j.requester = 'load' AND j.status = 'done'");
        assertTrue(Integer.parseInt(takenOver) >= 3, "the killed daemon's leases were taken over: " + takenOver);
        System.out.printf(java.util.Locale.ROOT, "fleet: %d jobs done in %.1f s across 3 daemons (one killed), %s taken over%n",
                JOBS, seconds, takenOver);
        assertEquals("3", sql(host, "SELECT count(DISTINCT substring(e.message from '-([0-9]+)-[0-9]+$')) FROM job_events e"
                + " JOIN jobs j USING (job_id) WHERE j.requester = 'load' AND e.type = 'claim'"), "all three ran jobs");
    }

    String sql(CattleHost host, String query) {
        return PostgresCluster.shared().psql(database, query);
    }

    /** Waits until {@code query} answers {@code expected} (4 minutes at most); returns its last answer. */
    String awaitSql(CattleHost host, String query, String expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        String last = sql(host, query);
        while (!last.equals(expected)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(query + ": " + last + ", expected " + expected + "\n" + host.outputs());
            }
            Thread.sleep(200);
            last = sql(host, query);
        }
        return last;
    }
}
