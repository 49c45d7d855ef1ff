package clf.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Start and stop of the real daemon: refusals exit 1 promptly (no JVM lingers on XNIO's
 * non-daemon threads) with a message that names the problem; a stale socket is replaced;
 * SIGTERM and SIGINT stop it with exit code 0.
 */
class StartupIT {
    /** A refused start must be over well within this (a normal start takes well under a second). */
    private static final Duration REFUSAL = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private Refusal refusedStart(Map<String, String> extra) throws Exception {
        Map<String, String> env = DaemonProcess.env(dir);
        env.putAll(extra);
        long start = System.nanoTime();
        try (DaemonProcess daemon = DaemonProcess.spawn(List.of(Image.bin("clf-orchestrator").toString()),
                Path.of(env.get("CLF_SOCKET_PATH")), env)) {
            int code = daemon.awaitExit(REFUSAL);
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertEquals(1, code, daemon.output());
            assertFalse(ProcessHandle.of(daemon.pid()).map(ProcessHandle::isAlive).orElse(false), "JVM lingers");
            assertFalse(daemon.out().contains(DaemonProcess.READY), daemon.output());
            return new Refusal(daemon.err(), daemon.output(), ms);
        }
    }

    private record Refusal(String err, String output, long ms) {}

    @Test
    void groupWritableSocketDirectoryIsRefusedNamingDirAndMode() throws Exception {
        Path unsafe = Files.createDirectory(dir.resolve("unsafe"));
        Files.setPosixFilePermissions(unsafe, PosixFilePermissions.fromString("rwxrwxr-x"));
        Refusal refusal = refusedStart(Map.of("CLF_SOCKET_PATH", unsafe.resolve("bot.sock").toString()));
        // This refusal comes after the store and XNIO started: the half-way case.
        assertTrue(refusal.output().contains("store.opened"), refusal.output());
        assertTrue(refusal.err().contains(unsafe.toString()) && refusal.err().contains("0775"), refusal.output());
        assertFalse(Files.exists(unsafe.resolve("bot.sock"), LinkOption.NOFOLLOW_LINKS),
                "a refused start left its socket behind in the unsafe directory");
    }

    @Test
    void regularFileAtSocketPathIsRefusedAndKept() throws Exception {
        Path socket = DaemonProcess.socketIn(dir);
        Files.createDirectories(socket.getParent());
        Files.writeString(socket, "not mine");
        Refusal refusal = refusedStart(Map.of());
        assertTrue(refusal.err().contains("not a socket") && refusal.err().contains(socket.toString()), refusal.output());
        assertEquals("not mine", Files.readString(socket), "the file was touched");
    }

    @Test
    void badConfigurationListsEveryVariable() throws Exception {
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("CLF_DB_PATH", "relative/state.sqlite");
        bad.put("CLF_SOCKET_PATH", "run/bot.sock");
        bad.put("CLF_TRUST_REQUESTER", "maybe");
        bad.put("CLF_WORKER_CONCURRENCY", "0");
        bad.put("CLF_WORKER_POLL_MS", "fast");
        bad.put("CLF_SHUTDOWN_GRACE_MS", "-5");
        bad.put("CLF_MAX_CONNECTIONS", "100000");
        bad.put("CLF_CATTLE_MAX_TTL", "forever");
        bad.put("CLF_PASSWD_FILE", "etc/passwd");
        Refusal refusal = refusedStart(bad);
        for (String name : bad.keySet()) {
            assertTrue(refusal.err().contains(name), name + " not named\n" + refusal.output());
        }
        assertTrue(refusal.err().contains("'maybe'") && refusal.err().contains("'100000'"), refusal.output());
        // Refused before anything was opened.
        assertFalse(refusal.output().contains("store.opened"), refusal.output());
    }

    /**
     * An unknown CLF_SOCKET_GROUP is refused after the socket was bound (half-way), naming the
     * group; UserPrincipalNotFoundException itself has no message ("clf-orchestrator: null" once).
     */
    @Test
    void unknownSocketGroupIsRefusedNamingTheGroup() throws Exception {
        Refusal refusal = refusedStart(Map.of("CLF_SOCKET_GROUP", "no-such-group-clf"));
        assertFalse(Files.exists(DaemonProcess.socketIn(dir), LinkOption.NOFOLLOW_LINKS), "socket left behind");
        assertTrue(refusal.err().contains("no-such-group-clf"), "message does not name the group\n" + refusal.output());
    }

    @Test
    void staleSocketOfAKilledDaemonIsReplaced() throws Exception {
        String jobId;
        try (DaemonProcess first = DaemonProcess.start(dir)) {
            UnixHttp.Response enqueued = UnixHttp.call(first.socket(), "POST", "/v1/jobs/enqueue", UnixHttp.reapBody("k1"));
            assertEquals(200, enqueued.status(), enqueued.toString());
            jobId = (String) enqueued.json().get("jobId");
            first.signal("KILL");
            assertEquals(137, first.awaitExit(Duration.ofSeconds(10)));
        }
        Path socket = DaemonProcess.socketIn(dir);
        assertTrue(Files.exists(socket, LinkOption.NOFOLLOW_LINKS), "a killed daemon leaves its socket");
        try (DaemonProcess second = DaemonProcess.start(dir)) {
            assertEquals(200, UnixHttp.call(socket, "GET", "/healthz", null).status());
            UnixHttp.Response shown = UnixHttp.call(socket, "GET", "/v1/jobs/" + jobId, null);
            assertEquals(200, shown.status(), "the job survived the kill: " + shown);
            second.stop();
        }
    }

    @Test
    void sigtermStopsWithExitZero() throws Exception {
        try (DaemonProcess daemon = DaemonProcess.start(dir)) {
            assertEquals(200, UnixHttp.call(daemon.socket(), "GET", "/healthz", null).status());
            daemon.stop(); // asserts exit 0 and the stopped line
            assertTrue(daemon.out().indexOf("clf-orchestrator.stopping") < daemon.out().indexOf(DaemonProcess.STOPPED),
                    daemon.output());
        }
    }

    @Test
    void sigintStopsWithExitZero() throws Exception {
        try (DaemonProcess daemon = DaemonProcess.start(dir)) {
            // An open idle connection must not hold the stop up.
            try (UnixHttp idle = UnixHttp.connect(daemon.socket())) {
                idle.write(UnixHttp.request("GET", "/healthz", null));
                assertEquals(200, idle.read().status());
                daemon.signal("INT");
                assertEquals(0, daemon.awaitExit(DaemonProcess.STOP_TIMEOUT), daemon.output());
            }
            assertTrue(daemon.out().contains(DaemonProcess.STOPPED), daemon.output());
        }
    }
}
