package clf.testing;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.net.URLDecoder;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * tailscaled's LocalAPI for tests: a real Unix socket answering whois the way
 * ipn/localapi/localapi.go does at tailscale commit de9ec7ee (ServeHTTP, validHost,
 * serveWhoIsWithBackend): 403 "invalid localapi request" for a Host other than
 * local-tailscaled.sock, 404 for other paths, 400 "missing 'addr' parameter" or "invalid 'addr'
 * parameter", 404 "no match for IP:port" for an address no node has, and 200 with the node's
 * WhoIsResponse JSON. Like Go's net/http it frames a body of at most 2 KiB with Content-Length
 * and a longer one chunked, and closes after answering a request that says Connection: close.
 * It can also misbehave ({@link Fault}).
 */
public final class TailscaledDouble implements AutoCloseable {
    /** The fixture: a cattle VM named {@link #FIXTURE_NAME}, in the shape of tailscale's whois answer (whois-fixtures.md says how). */
    public static final String FIXTURE = "whois-cattle-vm.json";
    public static final String FIXTURE_NAME = "cattle-rex-1a2b3c4d";
    private static final int GO_CHUNKING_THRESHOLD = 2048;
    private static final Pattern ADDR = Pattern.compile("(?:\\[([0-9a-fA-F:.]+)\\]|([0-9.]+)):(\\d{1,5})|([0-9a-fA-F:.]+)");

    /** Ways to fail that a real tailscaled (or a dying one) shows. */
    public enum Fault {
        /** Answers properly. */
        NONE,
        /** Accepts and closes without reading or answering. */
        CLOSE_UNANSWERED,
        /** Reads the request and never answers. */
        HANG,
        /** Answers 200 with a body that is not JSON. */
        GARBAGE,
        /** Answers 200 with a body far over any sane whois answer. */
        HUGE
    }

    /** How a 200 body is framed. */
    public enum Framing {
        /** As Go's net/http: Content-Length up to 2 KiB, chunked above. */
        AS_GO,
        CHUNKED,
        /** No length: the body ends when the connection does. */
        UNTIL_CLOSE
    }

    /** One request as received. */
    public record Request(String method, String target, Map<String, String> headers) {
        /** The decoded {@code addr} query parameter, or null. */
        public String addr() {
            int query = target.indexOf('?');
            if (query < 0) {
                return null;
            }
            for (String pair : target.substring(query + 1).split("&")) {
                if (pair.startsWith("addr=")) {
                    return URLDecoder.decode(pair.substring(5), StandardCharsets.UTF_8);
                }
            }
            return null;
        }
    }

    private final Path socket;
    private final ServerSocketChannel server;
    private final Map<InetAddress, String> nodes = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile Fault fault = Fault.NONE;
    private volatile Framing framing = Framing.AS_GO;
    private volatile int forcedStatus;
    private volatile String forcedBody;

    private TailscaledDouble(Path socket, ServerSocketChannel server) {
        this.socket = socket;
        this.server = server;
    }

    /** Listens on {@code socket} (which must not exist yet). */
    public static TailscaledDouble start(Path socket) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        TailscaledDouble double_ = new TailscaledDouble(socket, server);
        Thread acceptor = new Thread(double_::accept, "tailscaled-double");
        acceptor.setDaemon(true);
        acceptor.start();
        return double_;
    }

    /** The fixture as it is stored. */
    public static String fixture() {
        try (InputStream in = TailscaledDouble.class.getResourceAsStream(FIXTURE)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The fixture with the node's names replaced, as another node's answer would read (tab
     * indentation is not kept; the JSON is the same shape).
     */
    @SuppressWarnings("unchecked")
    public static String whoisOf(String name, String computedName, String hostname) {
        try {
            Map<String, Object> response = JSON.std.with(JSON.Feature.PRESERVE_FIELD_ORDERING).mapFrom(fixture());
            Map<String, Object> node = (Map<String, Object>) response.get("Node");
            node.put("Name", name);
            if (computedName == null) {
                node.remove("ComputedName");
                node.remove("ComputedNameWithHost");
            } else {
                node.put("ComputedName", computedName);
                node.put("ComputedNameWithHost", computedName.equalsIgnoreCase(hostname) ? computedName
                        : computedName + " (" + hostname + ")");
            }
            ((Map<String, Object>) node.get("Hostinfo")).put("Hostname", hostname);
            return JSON.std.with(JSON.Feature.PRETTY_PRINT_OUTPUT).asString(response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path socket() {
        return socket;
    }

    /** Whois of {@code ip} (any port) answers {@code whoisJson}. */
    public TailscaledDouble node(String ip, String whoisJson) {
        nodes.put(literal(ip), whoisJson);
        return this;
    }

    /** Whois of {@code ip} answers 404, as for an address no node has. */
    public TailscaledDouble forget(String ip) {
        nodes.remove(literal(ip));
        return this;
    }

    /** An IP literal (any spelling) as an address; never a DNS lookup. */
    private static InetAddress literal(String ip) {
        if (!ip.matches("[0-9a-fA-F:.]+")) {
            throw new IllegalArgumentException("not an IP literal: " + ip);
        }
        try {
            return InetAddress.getByName(ip);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public TailscaledDouble fault(Fault fault) {
        this.fault = fault;
        return this;
    }

    public TailscaledDouble framing(Framing framing) {
        this.framing = framing;
        return this;
    }

    /** Every whois is answered {@code status} with {@code body} as Go's http.Error writes it; 0 undoes this. */
    public TailscaledDouble answerEveryWhois(int status, String body) {
        this.forcedBody = body;
        this.forcedStatus = status;
        return this;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    private void accept() {
        while (server.isOpen()) {
            SocketChannel connection;
            try {
                connection = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            open.add(connection);
            Thread serving = new Thread(() -> serve(connection), "tailscaled-double-conn");
            serving.setDaemon(true);
            serving.start();
        }
    }

    private void serve(SocketChannel connection) {
        try (connection) {
            if (fault == Fault.CLOSE_UNANSWERED) {
                return;
            }
            InputStream in = Channels.newInputStream(connection);
            OutputStream out = Channels.newOutputStream(connection);
            Request request = readRequest(in);
            if (request == null) {
                return;
            }
            requests.add(request);
            if (fault == Fault.HANG) {
                closed.await();
                return;
            }
            respond(request, out);
        } catch (IOException | InterruptedException e) {
            // the client went away, or the double is closing
        } finally {
            open.remove(connection);
        }
    }

    private static Request readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.write(b);
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : b == '\r' ? 1 : 0;
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        String[] requestLine = lines[0].split(" ");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
        }
        return new Request(requestLine[0], requestLine[1], headers);
    }

    private void respond(Request request, OutputStream out) throws IOException {
        String host = request.headers().getOrDefault("host", "");
        if (!host.isEmpty() && !host.equals("local-tailscaled.sock")) {
            goError(out, 403, "invalid localapi request");
            return;
        }
        String path = request.target().split("\\?", 2)[0];
        if (!path.equals("/localapi/v0/whois")) {
            goError(out, 404, "404 page not found");
            return;
        }
        if (forcedStatus != 0) {
            goError(out, forcedStatus, forcedBody);
            return;
        }
        String addr = request.addr();
        if (addr == null || addr.isEmpty()) {
            goError(out, 400, "missing 'addr' parameter");
            return;
        }
        Matcher parsed = ADDR.matcher(addr);
        if (!parsed.matches()) {
            goError(out, 400, "invalid 'addr' parameter");
            return;
        }
        String ip = parsed.group(1) != null ? parsed.group(1) : parsed.group(2) != null ? parsed.group(2) : parsed.group(4);
        if (fault == Fault.GARBAGE) {
            ok(out, "<html>tailscaled is starting</html>");
            return;
        }
        if (fault == Fault.HUGE) {
            ok(out, "{\"Node\": {\"Name\": \"" + "x".repeat(400 * 1024) + "\"}}");
            return;
        }
        String whois = nodes.get(literal(ip));
        if (whois == null) {
            goError(out, 404, "no match for IP:port");
            return;
        }
        ok(out, whois);
    }

    /** What Go's http.Error sends: text/plain, nosniff, the message and a newline. */
    private static void goError(OutputStream out, int status, String message) throws IOException {
        byte[] body = (message + "\n").getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 " + status + " " + reason(status) + "\r\n"
                + "Content-Security-Policy: default-src 'none'; frame-ancestors 'none'\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Tailscale-Cap: 145\r\n"
                + "Tailscale-Version: 1.102.0-t4f1c9a2e1-g8d3b6f0c7\r\n"
                + "X-Content-Type-Options: nosniff\r\n"
                + "X-Frame-Options: DENY\r\n"
                + "Date: Fri, 27 Nov 2026 12:01:02 GMT\r\n"
                + "Content-Length: " + body.length + "\r\n"
                + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
    }

    private void ok(OutputStream out, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        Framing framing = this.framing;
        if (framing == Framing.AS_GO) {
            framing = body.length <= GO_CHUNKING_THRESHOLD ? null : Framing.CHUNKED;
        }
        StringBuilder head = new StringBuilder("HTTP/1.1 200 OK\r\n"
                + "Content-Security-Policy: default-src 'none'; frame-ancestors 'none'\r\n"
                + "Content-Type: application/json\r\n"
                + "Tailscale-Cap: 145\r\n"
                + "Tailscale-Version: 1.102.0-t4f1c9a2e1-g8d3b6f0c7\r\n"
                + "X-Content-Type-Options: nosniff\r\n"
                + "X-Frame-Options: DENY\r\n"
                + "Date: Fri, 27 Nov 2026 12:01:02 GMT\r\n"
                + "Connection: close\r\n");
        if (framing == null) {
            head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
            out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            out.write(body);
        } else if (framing == Framing.CHUNKED) {
            head.append("Transfer-Encoding: chunked\r\n\r\n");
            out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            // Uneven chunks, one with an extension, as a parser must take any.
            int at = 0;
            int size = 700;
            while (at < body.length) {
                int n = Math.min(size, body.length - at);
                out.write((Integer.toHexString(n) + (at == 0 ? ";note=first" : "") + "\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(body, at, n);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                at += n;
                size = size == 700 ? 1 : 700;
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        } else {
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            out.write(body);
        }
        out.flush();
    }

    private static String reason(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 500 -> "Internal Server Error";
            default -> "Status";
        };
    }

    /** Stops listening, ends every connection (hung ones too) and removes the socket file. */
    @Override
    public void close() throws IOException {
        closed.countDown();
        server.close();
        for (SocketChannel connection : new ArrayList<>(open)) {
            connection.close();
        }
        Files.deleteIfExists(socket);
    }
}
