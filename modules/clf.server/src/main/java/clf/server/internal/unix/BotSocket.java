package clf.server.internal.unix;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.Map;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.newsclub.net.unix.FileDescriptorCast;

/**
 * The listening socket of the bot API: the one systemd passes as fd 3 (socket activation), or
 * one the daemon binds itself at the configured path with mode 0660.
 */
public final class BotSocket {
    private static final int SD_LISTEN_FDS_START = 3;

    private BotSocket() {
    }

    /** What {@link #open} did, for the start-up log. */
    public record Opened(AFUNIXServerSocket socket, boolean activated) {
    }

    /**
     * @param env the process environment ({@code LISTEN_PID}, {@code LISTEN_FDS})
     * @param group group for a socket bound here, or null to keep the daemon's own
     */
    public static Opened open(Path path, String group, Map<String, String> env) throws IOException {
        if (isActivated(env)) {
            AFUNIXServerSocket socket = FileDescriptorCast.unsafeUsing(SD_LISTEN_FDS_START).as(AFUNIXServerSocket.class);
            return new Opened(socket, true);
        }
        return new Opened(bind(path, group), false);
    }

    /** systemd passed sockets to this very process (not to a parent that exec'd us with a stale env). */
    static boolean isActivated(Map<String, String> env) {
        String pid = env.get("LISTEN_PID");
        String fds = env.get("LISTEN_FDS");
        if (pid == null || fds == null) {
            return false;
        }
        try {
            return Long.parseLong(pid.strip()) == ProcessHandle.current().pid() && Integer.parseInt(fds.strip()) >= 1;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static AFUNIXServerSocket bind(Path path, String group) throws IOException {
        Path dir = path.getParent();
        if (!Files.exists(dir)) {
            // Explicit 0755 so bots can reach the socket whatever the umask; never group-writable.
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        }
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            PosixFileAttributes existing = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!existing.isOther()) {
                throw new SocketSafety.UnsafeSocketException(
                        "socket path exists and is not a socket (refusing to remove it): " + path);
            }
            Files.delete(path); // a stale socket of an earlier run
        }
        AFUNIXServerSocket socket = AFUNIXServerSocket.newInstance();
        try {
            socket.bind(AFUNIXSocketAddress.of(path), 128);
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-rw----"));
            if (group != null) {
                GroupPrincipal principal;
                try {
                    principal = path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(group);
                } catch (UserPrincipalNotFoundException e) {
                    throw new IllegalArgumentException("CLF_SOCKET_GROUP: no group named '" + group + "' on this host");
                }
                Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                        .setGroup(principal);
            }
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }
}
