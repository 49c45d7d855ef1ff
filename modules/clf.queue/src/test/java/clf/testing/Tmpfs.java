package clf.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A small real tmpfs, for tests of a full disk: SQLite on it gets the kernel's ENOSPC, not a
 * simulation. Mounted with {@code mount -t tmpfs} where this process may (root, as here and in
 * CI); otherwise in a private mount namespace ({@code unshare -Urm}) that a child process holds
 * open. Then this JVM reads and writes plain files through {@code /proc/PID/root} ({@link
 * #path()}), but SQLite cannot use that path (it resolves the link back to the host's tree), so
 * a process that opens a database there must be started inside the namespace ({@link #enter()}).
 * Closing unmounts it (or ends the holder, which takes the mount with it; so does the end of
 * this JVM, whose pipe the holder reads).
 *
 * <p>{@code -Dclf.tmpfs=unshare} skips the plain mount, to test the fallback as root.
 */
public final class Tmpfs implements AutoCloseable {
    private static final String FILLER = "filler.bin";

    private final Path mountPoint;
    private final Path path;
    private final Process holder;
    private final String how;

    private Tmpfs(Path mountPoint, Path path, Process holder, String how) {
        this.mountPoint = mountPoint;
        this.path = path;
        this.holder = holder;
        this.how = how;
    }

    /** A tmpfs of {@code bytes} on {@code mountPoint} (created if missing), or why there can be none. */
    public static Tmpfs mount(Path mountPoint, long bytes) throws Unavailable, IOException, InterruptedException {
        return mount(mountPoint, "size=" + bytes + ",mode=0700");
    }

    private static Tmpfs mount(Path mountPoint, String options) throws Unavailable, IOException, InterruptedException {
        Files.createDirectories(mountPoint);
        String mountError = "not tried (-Dclf.tmpfs=unshare)";
        if (!"unshare".equals(System.getProperty("clf.tmpfs"))) {
            Run mount = run(List.of("mount", "-t", "tmpfs", "-o", options, "tmpfs", mountPoint.toString()));
            if (mount.code == 0) {
                return new Tmpfs(mountPoint, mountPoint, null, "mount -t tmpfs");
            }
            mountError = mount.output.strip();
        }
        // The holder mounts, says "ready" and then reads its stdin, which ends when we close it or die.
        Process holder = new ProcessBuilder("unshare", "-Urm", "sh", "-c",
                "mount -t tmpfs -o " + options + " tmpfs '" + mountPoint + "' && echo ready && exec cat >/dev/null")
                .redirectErrorStream(true).start();
        String first = new String(holder.getInputStream().readNBytes(6), StandardCharsets.UTF_8);
        if (!first.equals("ready\n")) {
            String rest = first + new String(holder.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            holder.destroy();
            throw new Unavailable("no tmpfs at " + mountPoint + ": mount failed (" + mountError
                    + ") and unshare -Urm failed (" + rest.strip() + ")");
        }
        Path seen = Path.of("/proc", Long.toString(holder.pid()), "root")
                .resolve(mountPoint.toAbsolutePath().toString().substring(1));
        return new Tmpfs(mountPoint, seen, holder, "unshare -Urm, held by pid " + holder.pid());
    }

    /** As {@link #mount}, but a JUnit assumption: the test is skipped, saying why, if neither way works. */
    public static Tmpfs mountOrSkip(Path mountPoint, long bytes) throws IOException, InterruptedException {
        return mountOrSkip(mountPoint, "size=" + bytes + ",mode=0700");
    }

    /**
     * As {@link #mountOrSkip(Path, long)}, for SQLite in this JVM: a plain mount only, as this
     * JVM cannot enter another mount namespace (it has threads).
     */
    public static Tmpfs mountHereOrSkip(Path mountPoint, long bytes) throws IOException, InterruptedException {
        return here(mountOrSkip(mountPoint, "size=" + bytes + ",mode=0700"));
    }

    /** As {@link #mountHereOrSkip(Path, long)} with room for only {@code inodes} files and directories (its root is one). */
    public static Tmpfs mountHereOrSkip(Path mountPoint, long bytes, int inodes) throws IOException, InterruptedException {
        return here(mountOrSkip(mountPoint, "size=" + bytes + ",nr_inodes=" + inodes + ",mode=0700"));
    }

    private static Tmpfs here(Tmpfs tmpfs) throws IOException {
        if (tmpfs.holder != null) {
            tmpfs.close();
            HostTool.unavailable("mount -t tmpfs is not permitted here, and SQLite in this JVM cannot use a tmpfs in "
                    + "another mount namespace (unshare -Urm): run as root to include this test");
        }
        return tmpfs;
    }

    private static Tmpfs mountOrSkip(Path mountPoint, String options) throws IOException, InterruptedException {
        try {
            return mount(mountPoint, options);
        } catch (Unavailable e) {
            HostTool.unavailable(e.getMessage() + "; a full-disk test needs root or unprivileged user namespaces");
            throw new AssertionError("unreachable");
        }
    }

    /** Where this JVM reads and writes the tmpfs's files. */
    public Path path() {
        return path;
    }

    /** Where a process started with {@link #enter()} finds the tmpfs (and SQLite can use it). */
    public Path mountPoint() {
        return mountPoint;
    }

    /**
     * The command prefix that starts a process inside the tmpfs's mount namespace, where SQLite
     * can use it: nothing for a plain mount, {@code nsenter …} for the unshare fallback.
     */
    public List<String> enter() {
        return holder == null ? List.of() : List.of("nsenter", "--target", Long.toString(holder.pid()), "--user",
                "--mount", "--preserve-credentials", "--");
    }

    /** How it was made, for reports. */
    public String how() {
        return how;
    }

    /** Bytes still free on it. */
    public long free() throws IOException {
        return Files.getFileStore(path).getUsableSpace();
    }

    /**
     * Writes a filler file until at most {@code leave} bytes are free (0: until the kernel
     * says ENOSPC); returns how many bytes it took.
     */
    public long fill(long leave) throws IOException {
        Path filler = path.resolve(FILLER);
        long written = 0;
        ByteBuffer chunk = ByteBuffer.allocate(4096);
        try (FileChannel out = FileChannel.open(filler, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            while (free() > leave) {
                chunk.clear();
                try {
                    written += out.write(chunk);
                } catch (IOException e) {
                    break; // ENOSPC: full
                }
            }
        }
        return written;
    }

    /** Deletes the filler: the space it took is free again. */
    public void unfill() throws IOException {
        Files.deleteIfExists(path.resolve(FILLER));
    }

    @Override
    public void close() throws IOException {
        try {
            if (holder != null) {
                try (OutputStream stdin = holder.getOutputStream()) {
                    // closing it ends the holder's cat, and with it the namespace and the mount
                }
                if (!holder.waitFor(10, TimeUnit.SECONDS)) {
                    holder.destroyForcibly();
                }
                return;
            }
            Run umount = run(List.of("umount", mountPoint.toString()));
            if (umount.code != 0) {
                // Busy (a process still has a file open): detach now, the kernel frees it when they let go.
                run(List.of("umount", "-l", mountPoint.toString()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while unmounting " + mountPoint, e);
        }
    }

    /** There is no way to get a tmpfs here. */
    public static final class Unavailable extends Exception {
        private static final long serialVersionUID = 1L;

        Unavailable(String message) {
            super(message);
        }
    }

    private record Run(int code, String output) {
    }

    private static Run run(List<String> command) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return new Run(-1, e.getMessage()); // no such program
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(process.waitFor(), output);
    }
}
