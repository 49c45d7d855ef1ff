package clf.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * systemd socket activation, simulated: a tiny Python launcher binds the socket, puts it on fd 3,
 * sets LISTEN_FDS=1 and LISTEN_PID to its own pid and execs bin/clf-orchestrator, which execs
 * java, so the JVM keeps that pid and must adopt fd 3 instead of binding.
 */
class SocketActivationIT {

    /** argv: socket path, launcher. Binds before exec, as systemd does, so the daemon never binds. */
    private static final String ACTIVATOR = String.join("\n",
            "import os, socket, sys",
            "path, launcher = sys.argv[1], sys.argv[2]",
            "s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)",
            "s.bind(path)",
            "os.chmod(path, 0o660)",
            "s.listen(128)",
            "if s.fileno() != 3:",
            "    os.dup2(s.fileno(), 3)",
            "os.set_inheritable(3, True)",
            "os.environ['LISTEN_FDS'] = '1'",
            "os.environ['LISTEN_PID'] = str(os.getpid())",
            "os.execv(launcher, [launcher] + sys.argv[3:])");

    @TempDir
    Path dir;

    @Test
    void servesOnThePassedSocketAndStopsOnSigterm() throws Exception {
        Map<String, String> env = DaemonProcess.env(dir);
        Path socket = DaemonProcess.socketIn(dir);
        List<String> command = new java.util.ArrayList<>(List.of("python3", "-c", ACTIVATOR, socket.toString()));
        command.addAll(DaemonProcess.devCommand(dir));
        try (DaemonProcess daemon = DaemonProcess.spawn(command, socket, env)) {
            daemon.awaitReady();
            assertTrue(daemon.out().contains("bot-api.listening socket=" + socket + " activated=true"), daemon.output());

            // The pid systemd would have set is the JVM's: the launchers exec all the way down.
            try (UnixHttp http = UnixHttp.connect(socket)) {
                assertEquals(daemon.pid(), http.peerPid(), "peer pid on the socket");
            }

            UnixHttp.Response health = UnixHttp.call(socket, "GET", "/healthz", null);
            assertEquals(200, health.status(), health.toString());
            assertEquals(true, health.json().get("ok"), "v1's body, with the checks added");
            assertEquals(false, health.json().containsKey("protocolVersion"));
            assertEquals(Map.of("ok", true, "detail", "accepting connections at " + socket),
                    ((Map<?, ?>) health.json().get("checks")).get("botSocket"), "the passed socket is the one checked");

            UnixHttp.Response enqueued = UnixHttp.call(socket, "POST", "/v1/jobs/enqueue", UnixHttp.reapBody("activated-1"));
            assertEquals(200, enqueued.status(), enqueued.toString());
            Object jobId = enqueued.json().get("jobId");
            assertEquals(false, enqueued.json().get("deduped"));

            UnixHttp.Response listed = UnixHttp.call(socket, "GET", "/v1/jobs", null);
            assertEquals(200, listed.status(), listed.toString());
            List<?> jobs = (List<?>) listed.json().get("jobs");
            assertEquals(1, jobs.size(), listed.toString());
            assertEquals(jobId, ((Map<?, ?>) jobs.get(0)).get("jobId"));
            assertEquals("queued", ((Map<?, ?>) jobs.get(0)).get("status"));

            daemon.stop();
            assertFalse(daemon.err().contains("Exception"), daemon.output());
        }
        assertTrue(Files.exists(dir.resolve("state.sqlite")));
    }

    @Test
    void listenPidOfAnotherProcessIsIgnored() throws Exception {
        // An inherited LISTEN_PID that is not ours (a parent's) must not make the daemon take fd 3.
        Map<String, String> env = Map.of("LISTEN_FDS", "1", "LISTEN_PID", "1");
        try (DaemonProcess daemon = DaemonProcess.start(dir, env)) {
            assertTrue(daemon.out().contains("activated=false"), daemon.output());
            assertEquals(200, UnixHttp.call(daemon.socket(), "GET", "/healthz", null).status());
            daemon.stop();
        }
    }
}
