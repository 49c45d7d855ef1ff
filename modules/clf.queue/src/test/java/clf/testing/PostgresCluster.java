package clf.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real, private PostgreSQL server for tests: Debian's {@code initdb} and {@code pg_ctl} make a
 * throwaway cluster in a temp dir that listens on a Unix socket only (no TCP port, nothing shared
 * with another test run or the host's own PostgreSQL). Logins use a password (scram-sha-256), as
 * a fleet's would. As root, the server runs as the {@code postgres} user the Debian package
 * creates, because PostgreSQL refuses to run as root.
 *
 * <p>{@link #shared()} is one cluster per test JVM, started on first use and stopped when the JVM
 * exits; each test takes a fresh database from it ({@link #createDatabase()}). Without the
 * PostgreSQL server installed, a test skips on a developer's machine and fails under
 * {@code CI=true} ({@link HostTool#unavailable}), where {@code .ci/run} installs it.
 */
public final class PostgresCluster implements AutoCloseable {
    public static final String SUPERUSER = "clf";
    public static final int PORT = 5432;
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static PostgresCluster shared;

    private final Path bin;
    private final Path dir;
    private final Path data;
    private final Path socketDir;
    private final Path passwordFile;
    private final String password;
    private final boolean asPostgresUser;

    private PostgresCluster(Path bin, Path dir, String password, boolean asPostgresUser) {
        this.bin = bin;
        this.dir = dir;
        this.data = dir.resolve("data");
        this.socketDir = dir.resolve("sock");
        this.passwordFile = dir.resolve("password");
        this.password = password;
        this.asPostgresUser = asPostgresUser;
    }

    /** The cluster of this test JVM, started on first use; fast settings (no fsync). */
    public static synchronized PostgresCluster shared() {
        if (shared == null) {
            shared = start(Map.of("fsync", "off", "synchronous_commit", "off", "full_page_writes", "off"));
            PostgresCluster cluster = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "postgres-cluster-stop"));
        }
        return shared;
    }

    /**
     * Starts a new cluster with {@code settings} ({@code postgresql.conf} names) on top of the
     * test defaults. For a benchmark that wants durable settings, or a test that stops its server.
     */
    public static PostgresCluster start(Map<String, String> settings) {
        Path bin = serverBin();
        boolean root = "root".equals(System.getProperty("user.name"));
        try {
            // Short path: the socket's path must fit in 107 bytes.
            Path dir = Files.createTempDirectory(Path.of("/tmp"), "clf-pg");
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            String password = "pw-" + Long.toHexString(Double.doubleToLongBits(Math.random())) + "-" + System.nanoTime();
            PostgresCluster cluster = new PostgresCluster(bin, dir, password, root);
            cluster.init(settings);
            return cluster;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a PostgreSQL cluster", e);
        }
    }

    private static Path serverBin() {
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                var newest = versions.filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
                        .max(Comparator.comparingInt(v -> parseVersion(v.getFileName().toString())));
                if (newest.isPresent()) {
                    return newest.get().resolve("bin");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (HostTool.onPath("initdb") && HostTool.onPath("pg_ctl")) {
            return null; // from PATH
        }
        HostTool.unavailable("the PostgreSQL server (initdb, pg_ctl) is not installed (.ci/run installs postgresql)");
        throw new AssertionError("unreachable");
    }

    private static int parseVersion(String name) {
        try {
            return Integer.parseInt(name);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void init(Map<String, String> settings) throws IOException {
        Files.createDirectories(socketDir);
        Path pwfile = dir.resolve("initdb-password");
        Files.writeString(pwfile, password + "\n");
        Files.writeString(passwordFile, password);
        Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-------"));
        if (asPostgresUser) {
            run(List.of("chown", "-R", "postgres:postgres", dir.toString()), false);
            // The password file stays root's: only the tests read it.
            run(List.of("chown", "root:root", passwordFile.toString()), false);
        }
        run(List.of(tool("initdb"), "-D", data.toString(), "-U", SUPERUSER, "--auth=scram-sha-256",
                "--pwfile=" + pwfile, "-E", "UTF8", "--locale=C", "--no-instructions"), true);
        Files.deleteIfExists(pwfile);
        List<String> options = new ArrayList<>(List.of("-k", socketDir.toString(), "-p", Integer.toString(PORT),
                "-c", "listen_addresses=", "-c", "max_connections=300", "-c", "shared_buffers=64MB",
                "-c", "unix_socket_permissions=0777"));
        settings.forEach((name, value) -> options.addAll(List.of("-c", name + "=" + value)));
        run(List.of(tool("pg_ctl"), "-D", data.toString(), "-l", dir.resolve("server.log").toString(), "-w",
                "-t", "60", "-o", String.join(" ", options), "start"), true);
    }

    private String tool(String name) {
        return bin == null ? name : bin.resolve(name).toString();
    }

    private HostTool.Result run(List<String> command, boolean asServerUser) {
        List<String> full = new ArrayList<>();
        if (asServerUser && asPostgresUser) {
            full.addAll(List.of("setpriv", "--reuid=postgres", "--regid=postgres", "--clear-groups"));
        }
        full.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(full).directory(dir.toFile());
        HostTool.Result result = HostTool.run(builder, COMMAND_TIMEOUT);
        if (result.exitCode() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed: " + result + serverLog());
        }
        return result;
    }

    private String serverLog() {
        Path log = dir.resolve("server.log");
        try {
            return Files.exists(log) ? "\n--- server.log\n" + Files.readString(log) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** The directory of the server's Unix socket ({@code .s.PGSQL.5432}). */
    public Path socketDir() {
        return socketDir;
    }

    /** The superuser's password. */
    public String password() {
        return password;
    }

    /** A file holding only {@link #password()}, mode 0600, as a daemon's credential file would. */
    public Path passwordFile() {
        return passwordFile;
    }

    /** A new, empty database owned by {@link #SUPERUSER}. */
    public String createDatabase() {
        String name = "clf_test_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        psql("postgres", "CREATE DATABASE " + name);
        return name;
    }

    /** The {@code CLF_DATABASE_URL} of {@code database}, over the Unix socket, with no password in it. */
    public String url(String database) {
        return "postgresql://" + SUPERUSER + "@/" + database + "?host=" + socketDir + "&port=" + PORT;
    }

    /** Runs {@code sql} with psql as the superuser; returns its unaligned, tuples-only output. */
    public String psql(String database, String sql) {
        ProcessBuilder builder = new ProcessBuilder(bin == null ? "psql" : bin.resolve("psql").toString(),
                "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", socketDir.toString(), "-p",
                Integer.toString(PORT), "-U", SUPERUSER, "-d", database, "-c", sql);
        builder.environment().put("PGPASSWORD", password);
        HostTool.Result result = HostTool.run(builder, COMMAND_TIMEOUT);
        if (result.exitCode() != 0) {
            throw new AssertionError("psql " + sql + " failed: " + result);
        }
        return result.out().strip();
    }

    /** Stops the server at once (as a crash would) and deletes its files. */
    @Override
    public void close() {
        try {
            run(List.of(tool("pg_ctl"), "-D", data.toString(), "-m", "immediate", "-w", "stop"), true);
        } catch (AssertionError e) {
            // Already stopped (a test stopped it); the files go anyway.
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // A temp dir left behind is harmless.
        }
    }

    /** The server's log so far, for a failing test's message. */
    public String log() {
        try {
            return Files.readString(dir.resolve("server.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no server log: " + e.getMessage() + ")";
        }
    }
}
