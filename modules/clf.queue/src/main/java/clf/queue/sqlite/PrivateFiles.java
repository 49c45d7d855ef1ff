package clf.queue.sqlite;

import clf.queue.StoreException;
import clf.queue.StoreException.Reason;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Keeps the state directory (0700) and database files (0600) private to the daemon's user: they
 * hold job payloads and token hashes. A directory another user could swap, or a file another user
 * owns, is refused ({@link TrustedPaths}): as root under a shared parent, a planted directory or
 * file would hand its owner the daemon's secrets.
 */
public final class PrivateFiles {
    private static final Set<PosixFilePermission> GROUP_OR_OTHER = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
    private static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");

    private PrivateFiles() {
    }

    /** Creates the directory 0700, or tightens an existing one to 0700. */
    public static void secureDirectory(Path dir) {
        try {
            if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                // Check where it will be made before making it: not under a directory someone else owns.
                Path existing = dir.toAbsolutePath().normalize().getParent();
                while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
                    existing = existing.getParent();
                }
                if (existing != null) {
                    refuse(TrustedPaths.problemWithDirectory(existing, "directory above the state directory " + dir));
                }
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIR_MODE));
            }
            refuse(TrustedPaths.problemWithDirectory(dir, "state directory"));
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                throw new StoreException("state directory is not a directory: " + dir);
            }
            tighten(dir, DIR_MODE);
        } catch (IOException e) {
            throw failure("failed to secure state directory " + dir, e);
        }
    }

    /** Creates the file 0600 if missing, or tightens an existing one to 0600. */
    public static void secureFile(Path file, boolean createIfMissing) {
        try {
            if (createIfMissing && !Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE_MODE));
            }
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                    throw new StoreException("database path is not a regular file: " + file);
                }
                refuse(TrustedPaths.problemWithFile(file, "database file"));
                tighten(file, FILE_MODE);
            }
        } catch (IOException e) {
            throw failure("failed to secure database file " + file, e);
        }
    }

    private static void refuse(java.util.Optional<String> problem) {
        if (problem.isPresent()) {
            throw new StoreException(problem.get());
        }
    }

    /** A failed file operation; the kernel's ENOSPC (no blocks or no inodes left) is a full disk. */
    static StoreException failure(String what, IOException e) {
        // The JDK reports ENOSPC only as strerror's text (in the C locale a daemon runs in).
        boolean full = String.valueOf(e instanceof FileSystemException fs ? fs.getReason() : e.getMessage())
                .contains("No space left on device");
        return full ? new StoreException(Reason.DISK_FULL, what + ": the disk is full (" + e.getMessage() + ")", e)
                : new StoreException(what + ": " + e.getMessage(), e);
    }

    private static void tighten(Path path, Set<PosixFilePermission> mode) throws IOException {
        Set<PosixFilePermission> current = Files.getPosixFilePermissions(path);
        if (current.stream().noneMatch(GROUP_OR_OTHER::contains)) {
            return;
        }
        Files.setPosixFilePermissions(path, mode);
        Set<PosixFilePermission> after = Files.getPosixFilePermissions(path);
        if (after.stream().anyMatch(GROUP_OR_OTHER::contains)) {
            throw new IOException("still " + PosixFilePermissions.toString(after) + " after chmod");
        }
    }
}
