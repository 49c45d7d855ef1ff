package clf.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.queue.sqlite.TrustedPaths;
import clf.server.Main;
import clf.testing.HostTool;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon as root under a shared parent (issue 11 §5): a state or socket directory another
 * user owns, or a symlink to one, stops the start, naming the path, before anything is served.
 */
class UntrustedDirectoriesTest {
    static final int ATTACKER = 4299;

    @TempDir
    Path dir;
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    int run(Map<String, String> env) {
        return Main.run(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env);
    }

    /** A sticky, world-writable parent like /tmp, in which the attacker made a directory first. */
    Path sharedWithAttackerDir(String name) throws Exception {
        Path shared = Files.createDirectory(dir.resolve("shared"));
        Files.setAttribute(shared, "unix:mode", 01777);
        Path planted = Files.createDirectory(shared.resolve(name));
        Files.setAttribute(planted, "unix:uid", ATTACKER, LinkOption.NOFOLLOW_LINKS);
        return planted;
    }

    @Test
    void anAttackerOwnedStateDirectoryStopsTheStart() throws Exception {
        HostTool.requireRoot("to give a directory to another user");
        Path planted = sharedWithAttackerDir("clf-state");

        int code = run(Map.of("CLF_CATTLE_ENABLED", "0",
                "CLF_DB_PATH", planted.resolve("state.sqlite").toString(),
                "CLF_SOCKET_PATH", dir.resolve("run/bot.sock").toString()));

        assertEquals(Main.FAILED, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("state directory is owned by uid " + ATTACKER
                + ", not by root or the daemon's user (uid 0) (refusing): " + planted), err.toString());
        assertFalse(Files.exists(planted.resolve("state.sqlite")));
        assertFalse(Files.exists(dir.resolve("run/bot.sock")), "nothing was served");
    }

    @Test
    void anAttackerOwnedSocketDirectoryStopsTheStart() throws Exception {
        HostTool.requireRoot("to give a directory to another user");
        Path planted = sharedWithAttackerDir("clf-run");
        Files.setPosixFilePermissions(planted, PosixFilePermissions.fromString("rwxr-xr-x"));

        int code = run(Map.of("CLF_CATTLE_ENABLED", "0",
                "CLF_DB_PATH", dir.resolve("state/state.sqlite").toString(),
                "CLF_SOCKET_PATH", planted.resolve("bot.sock").toString()));

        assertEquals(Main.FAILED, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("socket directory is owned by uid " + ATTACKER),
                err.toString());
        try (var files = Files.list(planted)) {
            assertEquals(java.util.List.of(), files.toList(), "no socket in the attacker's directory");
        }
    }

    @Test
    void aSymlinkedStateDirectoryStopsTheStart() throws Exception {
        Path real = Files.createDirectory(dir.resolve("elsewhere"));
        Path link = Files.createSymbolicLink(dir.resolve("state"), real);

        int code = run(Map.of("CLF_CATTLE_ENABLED", "0",
                "CLF_DB_PATH", link.resolve("state.sqlite").toString(),
                "CLF_SOCKET_PATH", dir.resolve("run/bot.sock").toString()));

        assertEquals(Main.FAILED, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("state directory is a symbolic link (refusing): "
                + link), err.toString());
    }
}
