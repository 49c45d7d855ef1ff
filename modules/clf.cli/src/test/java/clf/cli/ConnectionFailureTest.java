package clf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.testing.HostTool;
import java.io.File;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * Each way of not reaching the orchestrator exits 3 and says which it was. These are real
 * sockets and real errno values (the JDK reports them as SocketException messages).
 */
class ConnectionFailureTest {

    /** A uid and gid that own nothing here. */
    private static final String STRANGER = "4242";
    /** Class path entries clf does not need at run time; left out of the copy. */
    private static final Pattern TEST_ONLY =
            Pattern.compile("junit|opentest4j|apiguardian|mockito|byte-buddy|objenesis|test-classes");

    @TempDir
    Path dir;

    private static void assertUnreachable(String message, CliRun.Result result) {
        assertEquals(Main.UNREACHABLE, result.exitCode(), result.toString());
        assertEquals("clf: " + message + "\n", result.err(), result.toString());
        assertEquals("", result.out());
    }

    @Test
    void missingSocketSaysHowToCheckTheSocketUnit() {
        Path socket = dir.resolve("orchestrator.sock");

        CliRun.Result result = CliRun.run("jobs", "list", "--socket", socket.toString());

        assertUnreachable("no orchestrator socket at " + socket
                + " (is clf-orchestrator.socket running? systemctl status clf-orchestrator.socket)", result);
    }

    @Test
    void missingSocketInJsonModeCarriesItsCode() {
        CliRun.Result result = CliRun.run("jobs", "show", "j1", "--json", "--socket", dir.resolve("x.sock").toString());

        assertEquals(Main.UNREACHABLE, result.exitCode(), result.toString());
        assertTrue(result.out().contains("\"code\": \"no_socket\""), result.out());
    }

    @Test
    void socketFileWhoseServerClosedIsConnectionRefused() throws IOException {
        Path socket = dir.resolve("orchestrator.sock");
        try (AFUNIXServerSocket server = AFUNIXServerSocket.newInstance()) {
            server.setDeleteOnClose(false);
            server.bind(AFUNIXSocketAddress.of(socket));
        }
        assertTrue(Files.exists(socket), "the socket file stays after close");

        CliRun.Result result = CliRun.run("jobs", "list", "--socket", socket.toString());

        assertUnreachable("connection refused on " + socket + ": nothing is listening (is clf-orchestrator running?"
                + " systemctl status clf-orchestrator.service)", result);
    }

    /** A daemon that never accepts: once its queue is full, connecting waits out the timeout, then says so. */
    @Test
    void fullAcceptQueueIsNoAnswerWithinTheTimeout() throws IOException {
        Path socket = dir.resolve("orchestrator.sock");
        List<SocketChannel> queued = new ArrayList<>();
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket), 1);
            // Fill the queue: connects succeed until it is full, then fail (EAGAIN) without blocking.
            while (queued.size() < 16) {
                SocketChannel client = SocketChannel.open(StandardProtocolFamily.UNIX);
                client.configureBlocking(false);
                try {
                    client.connect(UnixDomainSocketAddress.of(socket));
                    queued.add(client);
                } catch (IOException full) {
                    client.close();
                    break;
                }
            }
            assertTrue(queued.size() < 16, "the accept queue never filled");

            long start = System.nanoTime();
            CliRun.Result result = CliRun.run("jobs", "list", "--socket", socket.toString(), "--request-timeout", "1s");

            assertUnreachable("cannot connect to " + socket + ": no answer within 1000ms", result);
            assertTrue(System.nanoTime() - start >= 900_000_000L, "gave up before the timeout: " + result);
        } finally {
            for (SocketChannel client : queued) {
                client.close();
            }
        }
    }

    @Test
    void regularFileAtTheSocketPathIsNotASocket() throws IOException {
        Path file = Files.writeString(dir.resolve("orchestrator.sock"), "");

        CliRun.Result result = CliRun.run("jobs", "list", "--socket", file.toString());

        assertUnreachable(file + " is not a socket", result);
    }

    @Test
    void socketInADirectoryOthersCannotEnterIsPermissionDenied() throws Exception {
        Path world = worldReadableDir();
        Path privateDir = Files.createDirectory(world.resolve("private"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path socket = privateDir.resolve("orchestrator.sock");
        try (AFUNIXServerSocket server = AFUNIXServerSocket.newInstance()) {
            server.bind(AFUNIXSocketAddress.of(socket));

            CliRun.Result result = runAsStranger(world, "jobs", "list", "--socket", socket.toString());

            assertUnreachable("permission denied on " + socket + ": your user cannot enter the directory " + privateDir
                    + " (rwx------, owner root), so the socket's group does not help; use a socket in a directory"
                    + " you can enter (clf-orchestrator --dev --socket PATH)", result);
        }
    }

    @Test
    void socketWithMode0600OwnedByAnotherUserIsPermissionDenied() throws Exception {
        Path world = worldReadableDir();
        Path socket = world.resolve("orchestrator.sock");
        try (AFUNIXServerSocket server = AFUNIXServerSocket.newInstance()) {
            server.bind(AFUNIXSocketAddress.of(socket));
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));

            CliRun.Result result = runAsStranger(world, "jobs", "show", "j1", "--json", "--socket", socket.toString());

            assertEquals(Main.UNREACHABLE, result.exitCode(), result.toString());
            assertTrue(result.out().contains("\"code\": \"permission_denied\""), result.toString());
            assertEquals("", result.err(), result.toString());
        }
    }

    /** A directory under the test's own, open to everyone, so another uid can reach what is inside. */
    private Path worldReadableDir() throws IOException {
        HostTool.requireRoot("to run a command as another uid");
        HostTool.require(HostTool.onPath("setpriv"), "setpriv (util-linux)");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path world = Files.createDirectory(dir.resolve("world"));
        Files.setPosixFilePermissions(world, PosixFilePermissions.fromString("rwxr-xr-x"));
        return world;
    }

    /**
     * Runs clf.cli.Main in a new JVM as uid/gid 4242 with no groups. The class path is copied
     * where that uid can read it, with a temp dir it may write.
     */
    private static CliRun.Result runAsStranger(Path world, String... args) throws Exception {
        Path classes = Files.createDirectory(world.resolve("cp"));
        Path tmp = Files.createDirectory(world.resolve("tmp"));
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxrwxrwx"));
        List<String> classPath = new ArrayList<>();
        int n = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path source = Path.of(entry);
            if (!Files.exists(source) || TEST_ONLY.matcher(source.getFileName().toString()).find()) {
                continue;
            }
            Path copy = classes.resolve(n++ + "-" + source.getFileName());
            copyReadable(source, copy);
            classPath.add(copy.toString());
        }
        List<String> command = new ArrayList<>(List.of("setpriv", "--reuid=" + STRANGER, "--regid=" + STRANGER,
                "--clear-groups", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:auto", "-Djava.io.tmpdir=" + tmp, "-cp", String.join(File.pathSeparator, classPath),
                "clf.cli.Main"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(world.toFile()).start();
        process.getOutputStream().close();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("clf as uid " + STRANGER + " did not finish");
        }
        return new CliRun.Result(process.exitValue(),
                new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private static void copyReadable(Path source, Path target) throws IOException {
        if (Files.isDirectory(source)) {
            try (Stream<Path> files = Files.walk(source)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    Path to = target.resolve(source.relativize(file).toString());
                    if (Files.isDirectory(file)) {
                        Files.createDirectories(to);
                        Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rwxr-xr-x"));
                    } else {
                        Files.copy(file, to, StandardCopyOption.REPLACE_EXISTING);
                        Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rw-r--r--"));
                    }
                }
            }
        } else {
            Files.copy(source, target);
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

}
