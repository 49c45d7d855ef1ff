package clf.server.internal.unix;

import clf.queue.sqlite.TrustedPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * Refuses to serve bots on a socket others could replace or reach (spec §5.4): the directory
 * must not be writable by group or others (or someone could swap the socket), the socket must be
 * a socket, owner read-write, and not world-accessible. Access is the socket's group.
 */
public final class SocketSafety {
    private SocketSafety() {
    }

    /** Throws {@link UnsafeSocketException} naming the path and mode if any rule is broken. */
    public static void check(Path socketPath) {
        if (!socketPath.isAbsolute()) {
            throw new UnsafeSocketException("socket path must be absolute: " + socketPath);
        }
        Path dir = socketPath.getParent();
        // Also for a socket systemd passed: a directory someone else owns lets them swap the socket.
        TrustedPaths.problemWithDirectory(dir, "socket directory").ifPresent(problem -> {
            throw new UnsafeSocketException(problem);
        });
        PosixFileAttributes dirAttributes = attributes(dir, true, "socket directory");
        if (!dirAttributes.isDirectory()) {
            throw new UnsafeSocketException("socket directory is not a directory: " + dir);
        }
        Set<PosixFilePermission> dirMode = dirAttributes.permissions();
        if (dirMode.contains(PosixFilePermission.GROUP_WRITE) || dirMode.contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new UnsafeSocketException("socket directory is writable by non-owner (refusing): " + dir + " ("
                    + octal(dirMode) + ")");
        }
        PosixFileAttributes socket = attributes(socketPath, false, "socket");
        if (!socket.isOther()) {
            throw new UnsafeSocketException("socket path is not a unix socket: " + socketPath);
        }
        Set<PosixFilePermission> mode = socket.permissions();
        if (mode.contains(PosixFilePermission.OTHERS_READ) || mode.contains(PosixFilePermission.OTHERS_WRITE)
                || mode.contains(PosixFilePermission.OTHERS_EXECUTE)) {
            throw new UnsafeSocketException("socket is world-accessible (refusing): " + socketPath + " ("
                    + octal(mode) + ")");
        }
        if (!mode.contains(PosixFilePermission.OWNER_READ) || !mode.contains(PosixFilePermission.OWNER_WRITE)) {
            throw new UnsafeSocketException("socket must be owner-rw (refusing): " + socketPath + " (" + octal(mode) + ")");
        }
    }

    private static PosixFileAttributes attributes(Path path, boolean follow, String what) {
        try {
            return follow
                    ? Files.readAttributes(path, PosixFileAttributes.class)
                    : Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new UnsafeSocketException(what + " cannot be read: " + path + " (" + e.getMessage() + ")");
        }
    }

    /** {@code 0660}-style octal of a permission set. */
    public static String octal(Set<PosixFilePermission> mode) {
        int bits = 0;
        for (PosixFilePermission permission : mode) {
            bits |= 1 << (8 - permission.ordinal());
        }
        return String.format("0%03o", bits);
    }

    /** The socket's location or mode is unsafe; the daemon refuses to start. */
    public static final class UnsafeSocketException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public UnsafeSocketException(String message) {
            super(message);
        }
    }
}
