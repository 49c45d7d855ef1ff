package clf.server.internal.unix;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import clf.testing.HostTool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

class SocketSafetyTest {
    @TempDir
    Path dir;

    Path socketWithModes(String dirMode, String socketMode) throws Exception {
        Path socketDir = dir.resolve("run");
        Files.createDirectory(socketDir);
        Path socket = socketDir.resolve("s.sock");
        AFUNIXServerSocket server = AFUNIXServerSocket.newInstance();
        server.bind(AFUNIXSocketAddress.of(socket));
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString(socketMode));
        Files.setPosixFilePermissions(socketDir, PosixFilePermissions.fromString(dirMode));
        return socket;
    }

    String refusal(Path socket) {
        return assertThrows(SocketSafety.UnsafeSocketException.class, () -> SocketSafety.check(socket)).getMessage();
    }

    @Test
    void aGroupSocketInAnOwnerOnlyWritableDirectoryPasses() throws Exception {
        Path socket = socketWithModes("rwxr-xr-x", "rw-rw----");
        assertDoesNotThrow(() -> SocketSafety.check(socket));
    }

    @Test
    void aSocketDirectoryThatIsASymlinkIsRefused() throws Exception {
        Path socket = socketWithModes("rwxr-xr-x", "rw-rw----");
        Path link = Files.createSymbolicLink(dir.resolve("link"), socket.getParent());

        assertEquals("socket directory is a symbolic link (refusing): " + link, refusal(link.resolve("s.sock")));
    }

    @Test
    void aSocketDirectoryOwnedByAnotherUserIsRefused() throws Exception {
        HostTool.requireRoot("to give a directory to another user");
        Path socket = socketWithModes("rwxr-xr-x", "rw-rw----");
        Files.setAttribute(socket.getParent(), "unix:uid", 4299, java.nio.file.LinkOption.NOFOLLOW_LINKS);

        assertEquals("socket directory is owned by uid 4299, not by root or the daemon's user (uid 0) (refusing): "
                + socket.getParent(), refusal(socket));
    }

    @Test
    void aWorldAccessibleSocketIsRefused() throws Exception {
        Path socket = socketWithModes("rwxr-xr-x", "rw-rw-rw-");
        assertEquals("socket is world-accessible (refusing): " + socket + " (0666)", refusal(socket));
    }

    @Test
    void aGroupWritableDirectoryIsRefused() throws Exception {
        Path socket = socketWithModes("rwxrwxr-x", "rw-rw----");
        assertEquals("socket directory is writable by non-owner (refusing): " + socket.getParent() + " (0775)",
                refusal(socket));
    }

    @Test
    void aSocketTheOwnerCannotUseIsRefused() throws Exception {
        Path socket = socketWithModes("rwxr-xr-x", "r--------");
        assertEquals("socket must be owner-rw (refusing): " + socket + " (0400)", refusal(socket));
    }

    @Test
    void aRegularFileIsNotASocket() throws Exception {
        Path file = dir.resolve("file.sock");
        Files.writeString(file, "");
        assertEquals("socket path is not a unix socket: " + file, refusal(file));
        assertEquals("socket path must be absolute: relative.sock", refusal(Path.of("relative.sock")));
    }
}
