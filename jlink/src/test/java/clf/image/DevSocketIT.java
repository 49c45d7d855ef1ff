package clf.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.testing.HostTool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code clf-orchestrator --dev} with a bot user in the socket's group (setpriv, as in
 * {@link IsolationIT}): the 0700 state directory used to leave it "permission denied — must be
 * in clf-bots" although it was. Now CLF_SOCKET_GROUP lets the group through, {@code --socket}
 * puts the socket elsewhere, and when a directory does block, clf names it.
 */
class DevSocketIT {
    static final int BOTS_GID = 4310;
    static final int ALICE = 4252;

    Path dir;
    Path etc;
    DaemonProcess daemon;

    @BeforeEach
    void users() throws Exception {
        HostTool.requireRoot("to run clients as other users");
        dir = Files.createTempDirectory(Path.of("/tmp"), "clf-dev-socket-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        etc = Files.createDirectories(dir.resolve("etc"));
        Files.writeString(etc.resolve("passwd"), "root:x:0:0::/root:/bin/sh\nbot-alice:x:" + ALICE + ":" + BOTS_GID
                + "::/:/bin/sh\n");
        Files.writeString(etc.resolve("group"), "clf-bots:x:" + BOTS_GID + ":bot-alice\n");
        BotUsersDaemon.requireImageRunnableBy(Cli.on(dir.resolve("none.sock")).as(ALICE, BOTS_GID));
    }

    @AfterEach
    void stop() throws Exception {
        if (daemon != null) {
            daemon.stop();
        }
        Trees.delete(dir);
    }

    /** The image's {@code --dev} with the dev defaults for state and socket, plus {@code extra}. */
    DaemonProcess dev(Path socket, Map<String, String> extra, String... options) throws Exception {
        Map<String, String> env = new java.util.HashMap<>(Map.of(
                "CLF_PASSWD_FILE", etc.resolve("passwd").toString(),
                "CLF_GROUP_FILE", etc.resolve("group").toString(),
                "CLF_DEV_BOOT_DELAY_MS", "100"));
        env.putAll(extra);
        List<String> command = new java.util.ArrayList<>(List.of(Image.bin("clf-orchestrator").toString(), "--dev",
                "--state-dir", dir.resolve("dev").toString()));
        command.addAll(List.of(options));
        DaemonProcess started = DaemonProcess.spawn(command, socket, env);
        started.awaitReady();
        return started;
    }

    @Test
    void aStateDirTheBotCannotEnterIsNamed() throws Exception {
        Path socket = dir.resolve("dev").resolve("orchestrator.sock");
        // Without CLF_SOCKET_GROUP the state directory stays 0700 to everyone else.
        daemon = dev(socket, Map.of());

        Image.Result result = Cli.on(socket).as(ALICE, BOTS_GID).run("jobs", "list");

        assertEquals(3, result.exitCode(), result.toString());
        assertTrue(result.err().contains("your user cannot enter the directory " + dir.resolve("dev")), result.toString());
    }

    @Test
    void theSocketGroupReachesTheSocketInTheStateDir() throws Exception {
        Path socket = dir.resolve("dev").resolve("orchestrator.sock");
        daemon = dev(socket, Map.of("CLF_SOCKET_GROUP", Integer.toString(BOTS_GID)));

        Image.Result result = Cli.on(socket).as(ALICE, BOTS_GID).run("jobs", "list");

        assertEquals(0, result.exitCode(), result.toString());
    }

    @Test
    void socketPutsTheSocketWhereBotsCanReachIt() throws Exception {
        Path socket = dir.resolve("bots").resolve("clf.sock");
        daemon = dev(socket, Map.of("CLF_SOCKET_GROUP", Integer.toString(BOTS_GID)), "--socket", socket.toString());

        Image.Result result = Cli.on(socket).as(ALICE, BOTS_GID).run("jobs", "enqueue", "cattle.reap", "--dry-run");

        assertEquals(0, result.exitCode(), result.toString());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("dev"))),
                "the state directory stays private");
    }
}
