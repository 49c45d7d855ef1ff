package clf.image;

import clf.testing.HostTool;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The image's daemon in dev mode with bots as real Unix users: its own passwd and group files
 * (so the test needs no users on the host), a socket in the bots' group, and a {@link Cli} per
 * user run through setpriv. Running clients as other users needs root: a test without it is
 * skipped on a developer's machine and fails under {@code CI=true}.
 */
final class BotUsersDaemon implements AutoCloseable {
    final Path dir;
    final DaemonProcess daemon;
    private final Cli root;

    private BotUsersDaemon(Path dir, DaemonProcess daemon) {
        this.dir = dir;
        this.daemon = daemon;
        this.root = Cli.on(DaemonProcess.socketIn(dir));
    }

    /**
     * Starts a daemon that reads users from {@code passwd} and groups from {@code group} (lines
     * as in /etc), binds its socket to group {@code socketGid}, and gets {@code env} on top.
     */
    static BotUsersDaemon start(String name, List<String> passwd, List<String> group, int socketGid,
            Map<String, String> env) throws Exception {
        HostTool.requireRoot("to run bots as other Unix users (setpriv)");
        // Not a @TempDir (0700): the bot users must be able to reach the socket's directory.
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "clf-" + name + "-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path etc = Files.createDirectories(dir.resolve("etc"));
        Files.writeString(etc.resolve("passwd"), String.join("\n", passwd) + "\n");
        Files.writeString(etc.resolve("group"), String.join("\n", group) + "\n");
        Map<String, String> all = new HashMap<>(Map.of(
                // The store makes its directory 0700; keep it apart from the socket's.
                "CLF_DB_PATH", dir.resolve("state/state.sqlite").toString(),
                "CLF_PASSWD_FILE", etc.resolve("passwd").toString(),
                "CLF_GROUP_FILE", etc.resolve("group").toString(),
                "CLF_SOCKET_GROUP", Integer.toString(socketGid)));
        all.putAll(env);
        return new BotUsersDaemon(dir, DaemonProcess.start(dir, all));
    }

    /** Skips the test (fails it under CI=true) when {@code who} cannot run the image: a 0700 home above it. */
    static void requireImageRunnableBy(Cli who) {
        Image.Result probe = who.run("--version");
        if (probe.exitCode() != 0) {
            HostTool.unavailable("the image must be readable by other users: " + probe);
        }
    }

    /** {@code bin/clf} run as {@code uid}/{@code gid} with {@code extraGroups} (none: no groups). */
    Cli cli(int uid, int gid, int... extraGroups) {
        return root.as(uid, gid, extraGroups);
    }

    /** Stops the daemon (it must end cleanly) and deletes its files. */
    @Override
    public void close() throws Exception {
        try {
            daemon.stopAndClose();
        } finally {
            Trees.delete(dir);
        }
    }
}
