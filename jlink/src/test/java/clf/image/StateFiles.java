package clf.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The daemon's SQLite files in its state directory: the job store, the bootstrap tokens and
 * the cattle capacity file. After a clean stop each is one file (SQLite checkpoints and removes
 * the -wal and -shm files when the last connection closes), so equal hashes mean equal stores.
 */
final class StateFiles {
    static final List<String> DATABASES = List.of("state.sqlite", "tokens.sqlite", "capacity.sqlite");

    private StateFiles() {
    }

    /** SHA-256 of each database and of any -wal or -shm file beside it, by file name. */
    static Map<String, String> sha256(Path dir) throws IOException {
        Map<String, String> hashes = new LinkedHashMap<>();
        for (String name : DATABASES) {
            for (String suffix : List.of("", "-wal", "-shm")) {
                Path file = dir.resolve(name + suffix);
                if (Files.exists(file)) {
                    hashes.put(name + suffix, sha256(Files.readAllBytes(file)));
                } else if (suffix.isEmpty()) {
                    hashes.put(name, "missing");
                }
            }
        }
        return hashes;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * {@code PRAGMA integrity_check} of each database, on a copy in {@code scratch} (with its
     * -wal, if any): the state directory may be in another mount namespace, which SQLite in this
     * JVM cannot reach, and the copy leaves the original untouched.
     */
    static Map<String, String> integrityCheck(Path dir, Path scratch) throws IOException, SQLException {
        Files.createDirectories(scratch);
        Map<String, String> results = new LinkedHashMap<>();
        for (String name : DATABASES) {
            Path copy = scratch.resolve(name);
            Files.copy(dir.resolve(name), copy, StandardCopyOption.REPLACE_EXISTING);
            Path wal = dir.resolve(name + "-wal");
            if (Files.exists(wal)) {
                Files.copy(wal, scratch.resolve(name + "-wal"), StandardCopyOption.REPLACE_EXISTING);
            }
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + copy);
                    Statement s = c.createStatement();
                    ResultSet r = s.executeQuery("PRAGMA integrity_check")) {
                results.put(name, r.next() ? r.getString(1) : "no answer");
            }
        }
        return results;
    }
}
