package clf.image;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * One raw HTTP/1.1 connection to the daemon's Unix socket (or, {@link #tcp}, to its cattle
 * listener): the test writes exactly the bytes it wants (malformed ones included) and reads
 * responses framed by Content-Length or chunked encoding. Nothing is hidden: no retries, no
 * header fix-ups.
 */
final class UnixHttp implements Closeable {
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    /** A parsed response; header names are lower case. */
    record Response(String version, int status, String reason, Map<String, String> headers, byte[] body) {
        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        /** The body as a JSON object, or null if it is not one. */
        Map<String, Object> json() {
            try {
                return JSON.std.mapFrom(body);
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }

        /** The non-empty {@code error.message} of a v1 error body, or null. */
        String errorMessage() {
            Map<String, Object> json = json();
            if (json == null || !Integer.valueOf(1).equals(json.get("protocolVersion"))
                    || !(json.get("error") instanceof Map<?, ?> error)
                    || !(error.get("message") instanceof String message) || message.isBlank()
                    || !(error.get("code") instanceof String)) {
                return null;
            }
            return message;
        }

        @Override
        public String toString() {
            String text = bodyText();
            return status + " " + reason + (text.isEmpty() ? "" : " " + (text.length() > 200 ? text.substring(0, 200) + "…" : text));
        }
    }

    private UnixHttp(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        this.out = socket.getOutputStream();
    }

    static UnixHttp connect(Path socketPath) throws IOException {
        return connect(socketPath, DEFAULT_TIMEOUT);
    }

    /** Connects; every later read fails with SocketTimeoutException after {@code readTimeout}. */
    static UnixHttp connect(Path socketPath, Duration readTimeout) throws IOException {
        AFUNIXSocket socket = AFUNIXSocket.newInstance();
        try {
            socket.connect(AFUNIXSocketAddress.of(socketPath));
            socket.setSoTimeout((int) readTimeout.toMillis());
            return new UnixHttp(socket);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** A connection to 127.0.0.1:{@code port} (the cattle listener), reads bounded by {@code readTimeout}. */
    static UnixHttp tcp(int port, Duration readTimeout) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), (int) readTimeout.toMillis());
            socket.setSoTimeout((int) readTimeout.toMillis());
            return new UnixHttp(socket);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    void readTimeout(Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
    }

    /** Peer credentials of the daemon end: its pid. */
    long peerPid() throws IOException {
        return ((AFUNIXSocket) socket).getPeerCredentials().getPid();
    }

    UnixHttp write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    UnixHttp write(String text) throws IOException {
        return write(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Half-closes: the daemon reads end-of-input, and we can still read its answer. */
    void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    /** The next response, or null if the daemon closed the connection before sending a byte. */
    Response read() throws IOException {
        return read(false);
    }

    /**
     * As {@link #read()}; a response to HEAD has no body whatever its Content-Length says. An
     * interim response (100 Continue) is skipped: the final one follows it.
     */
    Response read(boolean toHead) throws IOException {
        Response response = readOne(toHead);
        while (response != null && response.status() / 100 == 1) {
            response = readOne(toHead);
        }
        return response;
    }

    private Response readOne(boolean toHead) throws IOException {
        String statusLine = line(true);
        if (statusLine == null) {
            return null;
        }
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/") || !parts[1].matches("\\d{3}")) {
            throw new IOException("not an HTTP status line: " + statusLine);
        }
        int status = Integer.parseInt(parts[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String header = line(false); !header.isEmpty(); header = line(false)) {
            int colon = header.indexOf(':');
            headers.put(header.substring(0, colon).strip().toLowerCase(Locale.ROOT), header.substring(colon + 1).strip());
        }
        byte[] body;
        String length = headers.get("content-length");
        if (toHead || status == 204 || status == 304 || status / 100 == 1) {
            body = new byte[0];
        } else if (length != null) {
            body = in.readNBytes(Integer.parseInt(length));
            if (body.length != Integer.parseInt(length)) {
                throw new EOFException("body cut short: " + body.length + " of " + length + " bytes");
            }
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = chunked();
        } else {
            body = in.readAllBytes(); // delimited by the end of the connection
        }
        return new Response(parts[0], status, parts.length > 2 ? parts[2] : "", headers, body);
    }

    /**
     * Reads and discards until the daemon closes the connection; returns the bytes discarded.
     * Throws SocketTimeoutException if it does not close within the read timeout.
     */
    int readToEof() throws IOException {
        int total = 0;
        byte[] buffer = new byte[8192];
        for (int n; (n = in.read(buffer)) >= 0; ) {
            total += n;
        }
        return total;
    }

    private byte[] chunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String size = line(false);
            int semicolon = size.indexOf(';');
            int n = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).strip(), 16);
            if (n == 0) {
                while (!line(false).isEmpty()) {
                    // trailers
                }
                return body.toByteArray();
            }
            body.write(in.readNBytes(n));
            line(false);
        }
    }

    /** One CRLF-terminated line; null at a clean end of input if {@code eofOk} and nothing was read. */
    private String line(boolean eofOk) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(64);
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (eofOk && line.size() == 0) {
                    return null;
                }
                throw new EOFException("connection closed mid-response");
            }
            if (b == '\n') {
                String text = line.toString(StandardCharsets.ISO_8859_1);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            line.write(b);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    // ------------------------------------------------------------------ request text

    /** An HTTP/1.1 request with Host and, for a body, Content-Length; extra headers as "Name: value". */
    static String request(String method, String target, String body, String... headers) {
        StringBuilder text = new StringBuilder(128).append(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: clf\r\n");
        for (String header : headers) {
            text.append(header).append("\r\n");
        }
        if (body != null) {
            text.append("Content-Type: application/json\r\n")
                    .append("Content-Length: ").append(body.getBytes(StandardCharsets.UTF_8).length).append("\r\n");
        }
        text.append("\r\n");
        if (body != null) {
            text.append(body);
        }
        return text.toString();
    }

    /** One request on a fresh connection, which is then closed. */
    static Response call(Path socketPath, String method, String target, String body) throws IOException {
        try (UnixHttp http = connect(socketPath)) {
            http.write(request(method, target, body));
            Response response = http.read("HEAD".equals(method));
            if (response == null) {
                throw new EOFException(method + " " + target + ": connection closed without a response");
            }
            return response;
        }
    }

    /** An enqueue body for a cattle.reap dry run. */
    /** A dry-run reap due far in the future: it stays queued, so listings stay stable. */
    static String reapBody(String idempotencyKey) {
        return "{\"protocolVersion\":1,\"idempotencyKey\":\"" + idempotencyKey
                + "\",\"kind\":\"cattle.reap\",\"payload\":{\"dryRun\":true},\"runAt\":\"" + LATER + "\"}";
    }

    /** 300 days ahead, whole seconds: within the daemon's bound on runAt (CLF_MAX_RUN_AT_AHEAD, 365d). */
    static final String LATER = java.time.Instant.now().plus(Duration.ofDays(300))
            .truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();

    static boolean isTimeout(IOException e) {
        return e instanceof SocketTimeoutException;
    }
}
