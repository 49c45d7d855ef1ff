package clf.queue.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.queue.JobStores;
import clf.queue.StoreException;
import clf.testing.HostTool;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A state directory or database file another user could have planted or could swap is refused
 * (issue 11 §5): real symbolic links, real chowns (as root) in temporary directories.
 */
class TrustedPathsTest {
    /** A uid no file here belongs to: the "other user" (the kernel needs no passwd entry to chown). */
    static final int OTHER_UID = 4299;

    @TempDir
    Path dir;

    static StoreException refusedToOpen(Path db) {
        return assertThrows(StoreException.class, () -> JobStores.openSqlite(db).close());
    }

    static void needRoot() {
        HostTool.requireRoot("to give a file to another user");
    }

    static void chown(Path path, int uid) throws Exception {
        Files.setAttribute(path, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
    }

    @Test
    void aStateDirectoryThatIsASymlinkIsRefused() throws Exception {
        Path real = Files.createDirectory(dir.resolve("real"));
        Path link = Files.createSymbolicLink(dir.resolve("state"), real);

        StoreException refused = refusedToOpen(link.resolve("state.sqlite"));

        assertEquals("state directory is a symbolic link (refusing): " + link, refused.getMessage());
        try (var files = Files.list(real)) {
            assertEquals(List.of(), files.toList(), "nothing was made behind the link");
        }
    }

    @Test
    void aStateDirectoryOwnedByAnotherUserIsRefused() throws Exception {
        needRoot();
        Path state = Files.createDirectory(dir.resolve("state"));
        chown(state, OTHER_UID);

        StoreException refused = refusedToOpen(state.resolve("state.sqlite"));

        assertEquals("state directory is owned by uid " + OTHER_UID + ", not by root or the daemon's user (uid 0)"
                + " (refusing): " + state, refused.getMessage());
        assertFalse(Files.exists(state.resolve("state.sqlite")));
    }

    @Test
    void aStateDirectoryUnderAParentOwnedByAnotherUserIsRefusedBeforeAnythingIsMade() throws Exception {
        needRoot();
        Path shared = Files.createDirectory(dir.resolve("shared"));
        chown(shared, OTHER_UID);

        StoreException refused = refusedToOpen(shared.resolve("clf/state/state.sqlite"));

        assertTrue(refused.getMessage().startsWith("directory above the state directory " + shared.resolve("clf/state")
                + " is owned by uid " + OTHER_UID), refused.getMessage());
        assertFalse(Files.exists(shared.resolve("clf")), "not made under the other user's directory");
    }

    @Test
    void aStateDirectoryUnderASymlinkOwnedByAnotherUserIsRefused() throws Exception {
        needRoot();
        Path real = Files.createDirectories(dir.resolve("real/state"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), real.getParent());
        chown(link, OTHER_UID); // lchown: the link itself

        StoreException refused = refusedToOpen(link.resolve("state/state.sqlite"));

        assertTrue(refused.getMessage().contains("lies under a symbolic link owned by uid " + OTHER_UID),
                refused.getMessage());
    }

    @Test
    void aParentWritableByOthersWithoutTheStickyBitIsRefused() throws Exception {
        Path open = Files.createDirectory(dir.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path state = Files.createDirectory(open.resolve("state"));

        StoreException refused = refusedToOpen(state.resolve("state.sqlite"));

        assertEquals("a directory above the state directory " + state + " is writable by others and not sticky, so"
                + " they could rename what is in it (refusing): " + open + " (0777)", refused.getMessage());
    }

    @Test
    void aParentWritableOnlyByTheDaemonsOwnGroupIsFine() throws Exception {
        Path project = Files.createDirectory(dir.resolve("project")); // umask 002 with a user private group
        Files.setPosixFilePermissions(project, PosixFilePermissions.fromString("rwxrwxr-x"));

        JobStores.openSqlite(project.resolve("state/state.sqlite")).close();
    }

    @Test
    void aParentWritableByAnotherGroupWithoutTheStickyBitIsRefused() throws Exception {
        needRoot();
        Path shared = Files.createDirectory(dir.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxr-x"));
        Files.setAttribute(shared, "unix:gid", OTHER_UID, LinkOption.NOFOLLOW_LINKS);

        StoreException refused = refusedToOpen(shared.resolve("state/state.sqlite"));

        assertTrue(refused.getMessage().contains("is writable by others and not sticky"), refused.getMessage());
    }

    @Test
    void aStickySharedParentLikeTmpIsFine() throws Exception {
        Path shared = Files.createDirectory(dir.resolve("tmp"));
        Files.setAttribute(shared, "unix:mode", 01777);

        JobStores.openSqlite(shared.resolve("state/state.sqlite")).close();
    }

    @Test
    void anExistingDatabaseFileOwnedByAnotherUserIsRefused() throws Exception {
        needRoot();
        Path db = dir.resolve("state/state.sqlite");
        JobStores.openSqlite(db).close();
        chown(db, OTHER_UID);

        StoreException refused = refusedToOpen(db);

        assertEquals("database file is owned by uid " + OTHER_UID + ", not by the daemon's user (uid 0); refusing a"
                + " file someone else may have written: " + db, refused.getMessage());
    }

    @Test
    void aPlantedWalFileOwnedByAnotherUserIsRefused() throws Exception {
        needRoot();
        Path db = dir.resolve("state/state.sqlite");
        JobStores.openSqlite(db).close();
        Path wal = Path.of(db + "-wal");
        Files.deleteIfExists(wal);
        Files.writeString(wal, "");
        chown(wal, OTHER_UID);

        StoreException refused = refusedToOpen(db);

        assertTrue(refused.getMessage().startsWith("database file is owned by uid " + OTHER_UID), refused.getMessage());
    }

    @Test
    void aDatabaseFileThatIsASymlinkIsRefused() throws Exception {
        Path target = dir.resolve("elsewhere.sqlite");
        JobStores.openSqlite(target).close();
        Path state = Files.createDirectory(dir.resolve("state"));
        Files.createSymbolicLink(state.resolve("state.sqlite"), target);

        StoreException refused = refusedToOpen(state.resolve("state.sqlite"));

        assertEquals("database path is not a regular file: " + state.resolve("state.sqlite"), refused.getMessage());
    }
}
