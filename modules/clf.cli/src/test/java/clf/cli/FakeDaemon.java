package clf.cli;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * A stand-in for the orchestrator at unit level: a real HTTP/1.1 responder on a Unix socket that
 * records each request and answers with whatever the test's handler returns, one request per
 * connection, as the daemon does for {@code Connection: close}.
 */
final class FakeDaemon implements AutoCloseable {

    record Request(String method, String target, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** Raw response bytes for a request; {@link #json} builds the usual ones. */
    interface Handler {
        byte[] respond(Request request) throws Exception;
    }

    private final AFUNIXServerSocket server;
    private final Thread acceptor;
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    FakeDaemon(Path socket, Handler handler) throws IOException {
        server = AFUNIXServerSocket.newInstance();
        server.bind(AFUNIXSocketAddress.of(socket));
        acceptor = new Thread(() -> serve(handler), "fake-daemon");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A JSON response with Content-Length, as the daemon sends. */
    static byte[] json(int status, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + " X\r\nContent-Type: application/json\r\nContent-Length: "
                + bytes.length + "\r\nConnection: close\r\n\r\n";
        return concat(head.getBytes(StandardCharsets.US_ASCII), bytes);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] all = new byte[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    List<Request> requests() {
        return requests;
    }

    private void serve(Handler handler) {
        while (!server.isClosed()) {
            try (Socket connection = server.accept()) {
                InputStream in = new BufferedInputStream(connection.getInputStream());
                Request request = read(in);
                requests.add(request);
                byte[] response = handler.respond(request);
                OutputStream out = connection.getOutputStream();
                out.write(response);
                out.flush();
            } catch (Exception e) {
                if (server.isClosed()) {
                    return;
                }
            }
        }
    }

    private static Request read(InputStream in) throws IOException {
        String[] requestLine = line(in).split(" ");
        Map<String, String> headers = new LinkedHashMap<>();
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            int colon = header.indexOf(':');
            headers.put(header.substring(0, colon).strip().toLowerCase(Locale.ROOT), header.substring(colon + 1).strip());
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
        return new Request(requestLine[0], requestLine[1], headers, body);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("closed");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        server.close();
        try {
            acceptor.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
