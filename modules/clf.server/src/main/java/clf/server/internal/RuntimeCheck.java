package clf.server.internal;

import clf.queue.JobStores;
import com.fasterxml.jackson.jr.ob.JSON;
import io.undertow.Undertow;
import io.undertow.util.Headers;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * {@code clf-orchestrator --check-runtime DIR}: an operator diagnostic proving that this
 * install works on this host (e.g. a hardened unit with a private, noexec /tmp): the native
 * libraries load from the image, and SQLite, Unix sockets, Undertow and JSON all work.
 * Prints one line per check; scratch files live in DIR/check and are removed afterwards.
 */
public final class RuntimeCheck {

    private interface Check {
        String run() throws Exception;
    }

    private RuntimeCheck() {}

    /** Runs every check, printing {@code ok NAME detail} or {@code fail NAME: reason}. */
    public static boolean run(Path dir, PrintStream out, PrintStream err) {
        Path checkDir = dir.resolve("check");
        Path database = checkDir.resolve("state.sqlite");
        Path socket = checkDir.resolve("check.sock");
        List<String> names = List.of("sqlite", "unix-socket", "undertow", "json");
        List<Check> checks = List.of(
                () -> sqlite(database),
                () -> unixSocket(socket),
                RuntimeCheck::undertow,
                RuntimeCheck::json);
        boolean allOk = true;
        try {
            // Owner-only, like the daemon's state directory; each check needs it.
            Files.createDirectories(checkDir, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            out.println("fail setup: cannot create " + checkDir + ": " + e);
            return false;
        }
        try {
            for (int i = 0; i < checks.size(); i++) {
                try {
                    String detail = checks.get(i).run();
                    out.println("ok " + names.get(i) + (detail.isEmpty() ? "" : " " + detail));
                } catch (Exception | LinkageError e) {
                    allOk = false;
                    out.println("fail " + names.get(i) + ": " + e);
                    e.printStackTrace(err);
                }
            }
        } finally {
            allOk &= removeScratch(checkDir, err);
        }
        return allOk;
    }

    /** Opens (creates) a job store, which loads SQLite's native library. */
    private static String sqlite(Path database) throws IOException {
        Files.deleteIfExists(database);
        JobStores.openSqlite(database).close();
        return database.toString();
    }

    /** Binds a Unix socket, connects to it and sends a byte each way. */
    private static String unixSocket(Path path) throws IOException {
        Files.deleteIfExists(path);
        AFUNIXSocketAddress address = AFUNIXSocketAddress.of(path);
        try (AFUNIXServerSocket server = AFUNIXServerSocket.newInstance()) {
            server.bind(address);
            try (AFUNIXSocket client = AFUNIXSocket.connectTo(address);
                    AFUNIXSocket accepted = server.accept()) {
                // A byte fits the socket buffers, so one thread can play both ends.
                client.getOutputStream().write(42);
                int received = accepted.getInputStream().read();
                accepted.getOutputStream().write(received + 1);
                int echoed = client.getInputStream().read();
                if (received != 42 || echoed != 43) {
                    throw new IOException("exchanged " + received + "/" + echoed + ", expected 42/43");
                }
                long peerPid = accepted.getPeerCredentials().getPid();
                return path + " (peer pid " + peerPid + ")";
            }
        }
    }

    /** Starts Undertow on an ephemeral loopback port and makes one real HTTP request to it. */
    private static String undertow() throws IOException {
        Undertow server = Undertow.builder()
                .addHttpListener(0, "127.0.0.1")
                .setIoThreads(1)
                .setWorkerThreads(1)
                .setHandler(exchange -> {
                    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain");
                    exchange.getResponseSender().send("clf-check");
                })
                .build();
        server.start();
        try {
            InetSocketAddress address = (InetSocketAddress) server.getListenerInfo().get(0).getAddress();
            String response = httpGet(address);
            if (!response.startsWith("HTTP/1.1 200 ") || !response.endsWith("\r\n\r\nclf-check")) {
                throw new IOException("unexpected response: " + response);
            }
            return io.undertow.Version.getVersionString() + " on " + address.getHostString() + ":" + address.getPort();
        } finally {
            server.stop();
        }
    }

    /** A plain-socket GET: enough for one request, and no HTTP client to load and start. */
    private static String httpGet(InetSocketAddress address) throws IOException {
        try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /check HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Writes and reads back a small document with Jackson jr. */
    private static String json() throws IOException {
        Map<String, Object> sent = Map.of("check", "json", "count", 3, "nested", List.of(true, "x"));
        String text = JSON.std.asString(sent);
        Map<String, Object> received = JSON.std.mapFrom(text);
        if (!sent.equals(received)) {
            throw new IOException("round trip changed " + sent + " into " + received);
        }
        return "";
    }

    /** Removes what the checks left in DIR/check, then the folder itself. */
    private static boolean removeScratch(Path checkDir, PrintStream err) {
        if (!Files.isDirectory(checkDir)) {
            return true;
        }
        List<String> files = List.of("state.sqlite", "state.sqlite-wal", "state.sqlite-shm",
                "state.sqlite-journal", "check.sock");
        try {
            for (String file : files) {
                Files.deleteIfExists(checkDir.resolve(file));
            }
            Files.deleteIfExists(checkDir);
            return true;
        } catch (IOException e) {
            err.println("could not remove " + checkDir + ": " + e);
            return false;
        }
    }
}
