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
import clf.queue.sqlite.TrustedPaths;
import java.util.Map;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.newsclub.net.unix.FileDescriptorCast;

/**
 * The listening socket of the bot API: the one systemd passes as fd 3 (socket activation), or
 * one the daemon binds itself at the configured path with mode 0660.
 *
 * <p>bind(2) makes the socket file with mode {@code 0777 & ~umask} (unix(7)), and Java cannot set
 * the umask. So the daemon binds in a fresh 0700 directory next to the path
 * ({@code .clf-bind-<pid>}), sets mode 0660 and the group there, where nobody else can reach the
 * socket, and then link(2)s it into place: the new name appears atomically with the inode's mode
 * already 0660, so the socket is never more open than asked, not even for a moment. A hard link
 * rather than rename(2), because junixsocket's accept checks that the path it bound still names
 * the socket's inode (and closes the socket otherwise); the private name stays until close.
 */
public final class BotSocket {
    private static final int SD_LISTEN_FDS_START = 3;

    private BotSocket() {
    }

    /**
     * What {@link #open} did, for the start-up log. Closing it closes the socket and removes the
     * file it renamed into place (junixsocket would only remove the path it bound).
     */
    public record Opened(AFUNIXServerSocket socket, boolean activated, Path boundFile, Object boundIdentity,
            Path staging) implements AutoCloseable {
        Opened(AFUNIXServerSocket socket, boolean activated) {
            this(socket, activated, null, null, null);
        }

        @Override
        public void close() throws IOException {
            socket.close();
            if (boundFile != null) {
                try {
                    if (boundIdentity.equals(TrustedPaths.identity(boundFile))) {
                        Files.deleteIfExists(boundFile); // still ours: not a socket a later run bound
                    }
                } catch (java.nio.file.NoSuchFileException e) {
                    // already gone
                }
                removeStaging(staging);
            }
        }
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
        Path staging = path.resolveSibling(".clf-bind-" + ProcessHandle.current().pid());
        AFUNIXServerSocket socket = bind(path, group, staging);
        return new Opened(socket, false, path, TrustedPaths.identity(path), staging);
    }

    /**
     * Loads junixsocket's native library and the classes a socket needs (~30 ms: its Java 9+
     * classes spin method handles for their string concatenation on first use), so that a
     * thread of the start can do it while another opens the store. Loads only: where the library
     * cannot load, opening the socket reports why.
     */
    public static void loadNative() {
        AFUNIXSocket.isSupported();
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

    private static AFUNIXServerSocket bind(Path path, String group, Path staging) throws IOException {
        Path dir = path.getParent();
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            Path existing = dir.getParent();
            while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
                existing = existing.getParent();
            }
            if (existing != null) {
                refuse(TrustedPaths.problemWithDirectory(existing, "directory above the socket directory " + dir));
            }
            // Explicit 0755 so bots can reach the socket whatever the umask; never group-writable.
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        }
        refuse(TrustedPaths.problemWithDirectory(dir, "socket directory"));
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            PosixFileAttributes existing = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!existing.isOther()) {
                throw new SocketSafety.UnsafeSocketException(
                        "socket path exists and is not a socket (refusing to remove it): " + path);
            }
            Files.delete(path); // a stale socket of an earlier run
        }
        removeStaging(staging); // left by an earlier process with this pid
        Files.createDirectory(staging, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        AFUNIXServerSocket socket = AFUNIXServerSocket.newInstance();
        try {
            Path private_ = staging.resolve("s");
            socket.bind(AFUNIXSocketAddress.of(private_), 128);
            Files.setPosixFilePermissions(private_, PosixFilePermissions.fromString("rw-rw----"));
            if (group != null) {
                GroupPrincipal principal;
                try {
                    principal = path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(group);
                } catch (UserPrincipalNotFoundException e) {
                    throw new IllegalArgumentException("CLF_SOCKET_GROUP: no group named '" + group + "' on this host");
                }
                Files.getFileAttributeView(private_, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                        .setGroup(principal);
            }
            Files.createLink(path, private_);
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            removeStaging(staging);
            throw e;
        }
    }

    private static void removeStaging(Path staging) throws IOException {
        if (Files.isDirectory(staging, LinkOption.NOFOLLOW_LINKS)) {
            try (var left = Files.list(staging)) {
                for (Path file : left.toList()) {
                    Files.deleteIfExists(file);
                }
            }
            Files.deleteIfExists(staging);
        }
    }

    private static void refuse(java.util.Optional<String> problem) {
        if (problem.isPresent()) {
            throw new SocketSafety.UnsafeSocketException(problem.get());
        }
    }
}
