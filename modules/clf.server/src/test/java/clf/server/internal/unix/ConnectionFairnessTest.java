package clf.server.internal.unix;

import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.protocol.Protocol;
import clf.server.internal.Daemon;
import clf.server.internal.config.OrchestratorConfig;
import clf.server.internal.log.Log;
import clf.testing.HostTool;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Connections per Unix user, with real users: bot-alice (a process of her own, through setpriv)
 * opens 256 connections to a real daemon, and bot-bob's request is still served. Before the
 * per-user cap, alice's 256 filled CLF_MAX_CONNECTIONS and bob's connection was closed unanswered.
 */
class ConnectionFairnessTest {
    static final int BOTS_GID = 4310;
    static final int ALICE = 4252;
    static final int BOB = 4253;

    Path dir;
    Path socket;
    Daemon daemon;
    final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    final List<Process> children = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        HostTool.requireRoot("to run clients as other users (setpriv)");
        // Not a @TempDir (0700): the bot users must reach the socket's directory.
        dir = Files.createTempDirectory(Path.of("/tmp"), "clf-connections-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path etc = Files.createDirectories(dir.resolve("etc"));
        Files.writeString(etc.resolve("passwd"), String.join("\n", "root:x:0:0::/root:/bin/sh",
                "bot-alice:x:" + ALICE + ":" + BOTS_GID + "::/:/bin/sh",
                "bot-bob:x:" + BOB + ":" + BOTS_GID + "::/:/bin/sh", ""));
        Files.writeString(etc.resolve("group"), "clf-bots:x:" + BOTS_GID + ":bot-alice,bot-bob\n");
        socket = dir.resolve("run/orchestrator.sock");
        Map<String, String> env = Map.of(
                "CLF_DB_PATH", dir.resolve("state/state.sqlite").toString(),
                "CLF_SOCKET_PATH", socket.toString(),
                "CLF_SOCKET_GROUP", Integer.toString(BOTS_GID),
                "CLF_PASSWD_FILE", etc.resolve("passwd").toString(),
                "CLF_GROUP_FILE", etc.resolve("group").toString(),
                "CLF_CATTLE_ENABLED", "0",
                "CLF_SHUTDOWN_GRACE_MS", "200");
        Log log = new Log(new PrintStream(logged, true, StandardCharsets.UTF_8), Clock.systemUTC());
        daemon = Daemon.start(OrchestratorConfig.fromEnv(env), env, log, Clock.systemUTC());
    }

    @AfterEach
    void stop() throws IOException {
        children.forEach(Process::destroyForcibly);
        if (daemon != null) {
            daemon.close();
        }
        if (dir != null) {
            try (var paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    /** {@link UnixUserClient} as {@code uid}, from this module's test classes (which every user may read). */
    Process as(int uid, String... args) throws Exception {
        Path classes = Path.of(UnixUserClient.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> command = new ArrayList<>(List.of("setpriv", "--reuid=" + uid, "--regid=" + BOTS_GID,
                "--clear-groups", Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xshare:auto",
                "-cp", classes.toString(), UnixUserClient.class.getName()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        children.add(process);
        return process;
    }

    static String firstLine(Process process) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        return line == null ? "" : line;
    }

    String getAs(int uid, String target) throws Exception {
        Process process = as(uid, "get", socket.toString(), target);
        String answer = firstLine(process);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the client finished");
        return answer;
    }

    @Test
    void oneUserHolding256ConnectionsDoesNotKeepAnotherOut() throws Exception {
        Process alice = as(ALICE, "hold", socket.toString(), "256", "32");
        String held = firstLine(alice);

        assertTrue(held.startsWith("admitted=32 refused=224 "), held + "\nlog:\n" + logged);
        assertTrue(held.contains("HTTP/1.1 429 "), held);
        assertTrue(held.contains("\"code\":\"quota_exceeded\""), held);
        assertTrue(held.contains("already holds 32 connections") && held.contains("CLF_MAX_CONNECTIONS_PER_UID"), held);

        String bob = getAs(BOB, Protocol.JOBS);
        assertTrue(bob.startsWith("HTTP/1.1 200 "), "bob is served while alice holds her 32: " + bob + "\nlog:\n"
                + logged);
        String aliceAgain = getAs(ALICE, Protocol.JOBS);
        assertTrue(aliceAgain.contains("429") && aliceAgain.contains("quota_exceeded"),
                "alice's next connection is answered, not dropped: " + aliceAgain);

        alice.getOutputStream().close(); // alice lets go of her connections
        assertTrue(alice.waitFor(60, TimeUnit.SECONDS));
        String afterwards = awaitServed(ALICE);
        assertTrue(afterwards.startsWith("HTTP/1.1 200 "), afterwards);
    }

    /** Alice's places come back once the daemon has seen her connections close. */
    String awaitServed(int uid) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String answer = getAs(uid, Protocol.JOBS);
        while (!answer.startsWith("HTTP/1.1 200 ") && System.nanoTime() < deadline) {
            Thread.sleep(100);
            answer = getAs(uid, Protocol.JOBS);
        }
        return answer;
    }
}
