package clf.queue.sqlite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a directory the daemon keeps state or its socket in could be swapped by someone else.
 * As root, or under a shared parent such as {@code /tmp}, a directory (or one above it) that
 * another user owns or can rename lets that user redirect the daemon's files: plant a token row,
 * replace the socket. Trusted owners are root and the daemon's own user.
 *
 * <p>The rules: the directory itself is no symbolic link; every symbolic link on the way to it is
 * root's; every directory from it up to {@code /} (as the kernel resolves the path) is owned by
 * root or the daemon's user and, when writable by others (or by a group other than the daemon's
 * own, e.g. not a user private group), sticky (as {@code /tmp} is), so that nobody else can
 * rename what is in it.
 */
public final class TrustedPaths {
    private static final int GROUP_WRITE = 0020;
    private static final int OTHER_WRITE = 0002;
    private static final int STICKY = 01000;
    private static final int TYPE_BITS = 0170000;
    private static final int SYMLINK = 0120000;
    private static final int REGULAR = 0100000;

    private TrustedPaths() {
    }

    /** The uid this process runs as (the owner of {@code /proc/self}); -1 when it cannot be read. */
    public static long ownUid() {
        return self("unix:uid");
    }

    private static long ownGid() {
        return self("unix:gid");
    }

    private static long self(String attribute) {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), attribute)).longValue();
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return -1;
        }
    }

    /**
     * Why {@code dir} (an existing directory; {@code what} names it, e.g. "state directory") is
     * not safe to keep files in, or empty when it is.
     */
    public static Optional<String> problemWithDirectory(Path dir, String what) {
        Path absolute = dir.toAbsolutePath().normalize();
        try {
            Map<String, Object> own = unix(absolute, false);
            if (isType(own, SYMLINK)) {
                return Optional.of(what + " is a symbolic link (refusing): " + absolute);
            }
            for (Path up = absolute.getParent(); up != null; up = up.getParent()) {
                Map<String, Object> link = unix(up, false);
                if (isType(link, SYMLINK) && uid(link) != 0) {
                    return Optional.of(what + " " + absolute + " lies under a symbolic link owned by uid " + uid(link)
                            + " (refusing): " + up);
                }
            }
            Path real = absolute.toRealPath();
            for (Path up = real; up != null; up = up.getParent()) {
                boolean above = !up.equals(real);
                Optional<String> problem = untrusted(up, unix(up, false),
                        above ? "a directory above the " + what + " " + absolute : what, above);
                if (problem.isPresent()) {
                    return problem;
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(what + " cannot be checked: " + absolute + " (" + e.getMessage() + ")");
        }
    }

    /**
     * Why the existing {@code file} is not the daemon's own regular file, or empty when it is.
     * A file planted by another user (a token row, a capacity count) must not be trusted.
     */
    public static Optional<String> problemWithFile(Path file, String what) {
        try {
            Map<String, Object> attributes = unix(file, false);
            if (!isType(attributes, REGULAR)) {
                return Optional.of(what + " is not a regular file (refusing): " + file);
            }
            long owner = uid(attributes);
            long self = ownUid();
            if (owner != self) {
                return Optional.of(what + " is owned by uid " + owner + ", not by the daemon's user (uid " + self
                        + "); refusing a file someone else may have written: " + file);
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(what + " cannot be checked: " + file + " (" + e.getMessage() + ")");
        }
    }

    /** The identity (device and inode) of {@code file}, not following a link; to tell a swapped file. */
    public static Object identity(Path file) throws IOException {
        Map<String, Object> attributes = unix(file, false);
        return attributes.get("dev") + ":" + attributes.get("ino");
    }

    private static Optional<String> untrusted(Path dir, Map<String, Object> attributes, String what, boolean ancestor) {
        long owner = uid(attributes);
        long self = ownUid();
        if (owner != 0 && owner != self) {
            return Optional.of(what + " is owned by uid " + owner + ", not by root or the daemon's user (uid " + self
                    + ") (refusing): " + dir);
        }
        int mode = (Integer) attributes.get("mode");
        boolean othersMayWrite = (mode & OTHER_WRITE) != 0
                || (mode & GROUP_WRITE) != 0 && ((Number) attributes.get("gid")).longValue() != ownGid();
        if (ancestor && othersMayWrite && (mode & STICKY) == 0) {
            return Optional.of(what + " is writable by others and not sticky, so they could rename what is in it"
                    + " (refusing): " + dir + " (" + String.format("0%o", mode & 07777) + ")");
        }
        return Optional.empty();
    }

    private static boolean isType(Map<String, Object> attributes, int type) {
        return ((Integer) attributes.get("mode") & TYPE_BITS) == type;
    }

    private static Map<String, Object> unix(Path path, boolean follow) throws IOException {
        return follow ? Files.readAttributes(path, "unix:mode,uid,gid,dev,ino")
                : Files.readAttributes(path, "unix:mode,uid,gid,dev,ino", LinkOption.NOFOLLOW_LINKS);
    }

    private static long uid(Map<String, Object> attributes) {
        return ((Number) attributes.get("uid")).longValue();
    }
}
