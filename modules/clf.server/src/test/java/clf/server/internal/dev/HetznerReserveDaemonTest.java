package clf.server.internal.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.protocol.Protocol;
import clf.queue.Job;
import clf.queue.JobEvent;
import clf.queue.JobStatus;
import clf.queue.JobStore;
import clf.queue.JobStores;
import clf.server.internal.cattle.capacity.HetznerBudget;
import clf.server.internal.status.SocketHttp;
import com.fasterxml.jackson.jr.ob.JSON;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The daemon keeps CLF_HETZNER_RESERVE_PERCENT of the rate limit for its own clean-up: with the
 * budget spent (the simulator's 429 says 0 of 1,000 left), a spawn waits and says why in its
 * events, while an operator's reap, sent over the real socket, goes out and finishes.
 */
class HetznerReserveDaemonTest extends DevDaemonFixture {
    static final String SPAWN = """
            {"protocolVersion":1,"requester":"maren","kind":"cattle.spawn","payload":{"identity":"rex","ttl":"1h",
             "task":{"schemaVersion":1,"taskId":"t-1","type":"clawdbot.gateway.agent","message":"hello"}}}""";
    static final String REAP = """
            {"protocolVersion":1,"requester":"maren","kind":"cattle.reap","payload":{"dryRun":false}}""";

    JobStore store;

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close(); // before the fixture closes the daemon
        }
    }

    String enqueue(String body) throws Exception {
        SocketHttp.Response answer = SocketHttp.post(dev.socketPath(), Protocol.ENQUEUE, body);
        assertEquals(200, answer.status(), answer.toString());
        return (String) answer.json().get("jobId");
    }

    void await(BooleanSupplier condition, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + "\nlog:\n" + logged);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void aSpawnWaitsUnderTheReserveWhileAnOperatorsReapGoesOut() throws Exception {
        start(Map.of("CLF_HETZNER_RESERVE_PERCENT", "20"));
        store = JobStores.openSqlite(Path.of(dev.env().get("CLF_DB_PATH")));
        dev.simulator().setRateLimit(1000);
        dev.simulator().rateLimitNext(1, Duration.ofHours(1)); // the next answer: 429, 0 of 1,000 left

        String spawn = enqueue(SPAWN);
        await(() -> store.events(spawn).stream().map(JobEvent::type).anyMatch(HetznerBudget.WAIT_EVENT::equals),
                "the spawn says it waits for the budget: " + store.events(spawn));
        String reap = enqueue(REAP); // root is an operator: its reap is the fleet's, and essential

        await(() -> store.get(reap).orElseThrow().status().isTerminal(), "the operator's reap finishes");
        Job done = store.get(reap).orElseThrow();
        assertEquals(JobStatus.DONE, done.status(), done.toString());
        assertEquals(Map.of("dryRun", false, "fleetWide", true), JSON.std.mapFrom(done.payloadJson()));
        assertEquals(JobStatus.RUNNING, store.get(spawn).orElseThrow().status(), "the spawn still waits");
        String told = store.events(spawn).stream().filter(e -> e.type().equals(HetznerBudget.WAIT_EVENT))
                .findFirst().orElseThrow().message();
        assertTrue(told.contains("under the 200 (20 %, CLF_HETZNER_RESERVE_PERCENT)"), told);
    }
}
