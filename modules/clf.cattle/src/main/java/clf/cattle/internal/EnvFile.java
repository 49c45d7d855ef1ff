package clf.cattle.internal;

import java.io.IOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The fetched env as a file a shell can source ({@code export NAME='value'}, sorted, as the
 * original's cattle-run wrote it): mode 0600 in a 0700 directory, created with those modes (never
 * readable by others, not even for a moment), and on a tmpfs, so the secrets never reach a disk.
 */
public final class EnvFile {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Set<String> MEMORY_FILESYSTEMS = Set.of("tmpfs", "ramfs");

    private EnvFile() {
    }

    /**
     * Writes {@code env} to {@code file}, replacing an older one.
     *
     * @param requireTmpfs false only under the test root ({@link AgentConfig#root()})
     */
    public static void write(Path file, Map<String, String> env, boolean requireTmpfs) throws IOException {
        for (String name : env.keySet()) {
            if (!NAME.matcher(name).matches()) {
                throw new IOException("the env names a variable no shell can hold: " + name);
            }
        }
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        if (requireTmpfs) {
            String type = Files.getFileStore(dir).type();
            if (!MEMORY_FILESYSTEMS.contains(type)) {
                throw new IOException(dir + " is on a " + type + " file system, not a tmpfs: the env would reach the disk"
                        + " (mount a tmpfs there, or choose --env-file under /run)");
            }
        }
        Files.deleteIfExists(file);
        try (Writer out = Channels.newWriter(Files.newByteChannel(file,
                Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))),
                StandardCharsets.UTF_8)) {
            for (Map.Entry<String, String> entry : new TreeMap<>(env).entrySet()) {
                out.write("export " + entry.getKey() + "=" + shellQuoted(entry.getValue()) + "\n");
            }
        }
    }

    /** Single-quoted for sh: a quote inside becomes {@code '\''}. */
    static String shellQuoted(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }
}
