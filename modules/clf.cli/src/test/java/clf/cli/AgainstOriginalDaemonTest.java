package clf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import clf.protocol.RequesterName;
import com.fasterxml.jackson.jr.ob.JSON;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** This CLI against the original v1 orchestrator ({@link OriginalDaemon}): what works, and what says plainly it cannot. */
class AgainstOriginalDaemonTest {
    static final String ID_SHAPE = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\n";

    @TempDir
    Path dir;
    OriginalDaemon original = new OriginalDaemon();
    FakeDaemon daemon;

    @BeforeEach
    void start() throws Exception {
        daemon = new FakeDaemon(dir.resolve("orchestrator.sock"), original);
    }

    @AfterEach
    void stop() throws Exception {
        daemon.close();
    }

    CliRun.Result run(String... args) {
        return CliRun.run(Map.of("CLF_SOCKET_PATH", dir.resolve("orchestrator.sock").toString()),
                new CliRun.FakeTicker(), args);
    }

    String enqueueReap() {
        CliRun.Result result = run("jobs", "enqueue", "cattle.reap", "--requester", "maren");
        assertEquals(Main.OK, result.exitCode(), result.toString());
        return result.out().strip();
    }

    @Test
    void enqueueWithoutRequesterSendsTheNameTheOrchestratorWouldBind() throws Exception {
        String own = RequesterName.ofOperator(System.getProperty("user.name"), RequesterName.DEFAULT_PREFIX);
        assumeTrue(own != null, "this user name makes no requester name");

        CliRun.Result result = run("jobs", "enqueue", "cattle.spawn", "--identity", "rex", "--task-id", "t1",
                "--message", "hi");

        assertEquals(Main.OK, result.exitCode(), result.toString());
        assertTrue(result.out().matches(ID_SHAPE), result.out());
        assertEquals(own, JSON.std.mapFrom(daemon.requests().get(0).body()).get("requester"));
    }

    @Test
    void theRequesterPrefixComesFromTheEnvironmentAsTheOrchestratorsDoes() throws Exception {
        String user = System.getProperty("user.name");
        assumeTrue(user.length() > 2 && RequesterName.ofUser(user.substring(2), "") != null, "user name too short");

        CliRun.Result result = CliRun.run(Map.of("CLF_SOCKET_PATH", dir.resolve("orchestrator.sock").toString(),
                "CLF_REQUESTER_PREFIX", user.substring(0, 2)), new CliRun.FakeTicker(), "jobs", "enqueue", "cattle.reap");

        assertEquals(Main.OK, result.exitCode(), result.toString());
        assertEquals(user.substring(2), JSON.std.mapFrom(daemon.requests().get(0).body()).get("requester"));
    }

    @Test
    void listShowWaitAndCancelWorkAsInV1() {
        String id = enqueueReap();

        CliRun.Result list = run("jobs", "list");
        assertEquals(Main.OK, list.exitCode(), list.toString());
        assertTrue(list.out().contains(id.substring(0, 8) + "  cattle.reap  queued"), list.out());
        assertEquals(Main.OK, run("jobs", "show", id).exitCode());
        CliRun.Result cancel = run("jobs", "cancel", id);
        assertEquals(Main.OK, cancel.exitCode(), cancel.toString());
        assertEquals("ok\n", cancel.out());
        CliRun.Result waited = run("jobs", "wait", id);
        assertEquals(Main.NOT_DONE, waited.exitCode(), waited.toString());
    }

    @Test
    void eventsSaysPlainlyThatTheOrchestratorHasNoSuchRoute() {
        String id = enqueueReap();

        CliRun.Result result = run("jobs", "events", id);

        assertEquals(Main.UNSUPPORTED, result.exitCode(), result.toString());
        assertEquals("clf: this orchestrator does not support `jobs events` (it answered 404 for"
                + " /v1/jobs/{id}/events; it may be an older version)\n", result.err());
    }

    @Test
    void statusSaysPlainlyThatTheOrchestratorHasNoSuchRoute() {
        CliRun.Result result = run("status", "--json");

        assertEquals(Main.UNSUPPORTED, result.exitCode(), result.toString());
        assertTrue(result.out().contains("\"message\": \"this orchestrator does not support `status` (it answered 404"
                + " for /v1/status; it may be an older version)\""), result.out());
        assertTrue(result.out().contains("\"code\": \"unsupported\""), result.out());
    }

    @Test
    void aShortIdIsFoundAmongAFewJobsAndRefusedPlainlyAmongMany() {
        String id = enqueueReap();
        CliRun.Result few = run("jobs", "show", id.substring(0, 8), "--json");
        assertEquals(Main.OK, few.exitCode(), few.toString());
        assertTrue(few.out().contains(id), few.out());

        for (int i = 0; i < JobIdPrefix.SHOWN + 1; i++) {
            enqueueReap();
        }
        CliRun.Result many = run("jobs", "show", id.substring(0, 8));
        assertEquals(Main.UNSUPPORTED, many.exitCode(), many.toString());
        assertTrue(many.err().startsWith("clf: this orchestrator does not look up short job ids"), many.err());
        assertEquals(Main.OK, run("jobs", "show", id).exitCode(), "the whole id still works");
    }
}
