package clf.cli;

import clf.protocol.Protocol;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/**
 * One HTTP/1.1 exchange per connection with the orchestrator's Unix socket ({@code Connection: close}).
 * The timeout covers the whole exchange, connect included. Failing to connect is
 * {@link Main#UNREACHABLE} and says why; anything after that is {@link Main#REFUSED}.
 */
final class SocketClient {
    private static final int MAX_HEADER_BYTES = 64 * 1024;

    private final Path socket;
    private final Duration timeout;

    /** What came back: the status code and the body as text. */
    record Response(int status, String body) {
        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    SocketClient(Path socket, Duration timeout) {
        this.socket = socket;
        this.timeout = timeout;
    }

    Path socket() {
        return socket;
    }

    Response get(String path) {
        return exchange("GET", path, null);
    }

    /** A POST; {@code jsonBody} null sends none ({@code Content-Length: 0}). */
    Response post(String path, String jsonBody) {
        return exchange("POST", path, jsonBody);
    }

    private Response exchange(String method, String path, String jsonBody) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (UnixConnection connection = connect(deadline)) {
            connection.write(request(method, path, jsonBody));
            return read(new BufferedInputStream(connection.input()));
        } catch (SocketTimeoutException e) {
            throw Failure.refused("timeout", "request timeout after " + timeout.toMillis() + "ms");
        } catch (IOException e) {
            throw Failure.refused("io", "request to " + socket + " failed: " + e.getMessage());
        }
    }

    private UnixConnection connect(long deadline) throws IOException {
        try {
            return UnixConnection.open(socket, deadline);
        } catch (SocketTimeoutException e) {
            throw Failure.unreachable("unreachable",
                    "cannot connect to " + socket + ": no answer within " + timeout.toMillis() + "ms");
        } catch (SocketException e) {
            throw unreachable(socket, e);
        }
    }

    /**
     * The first directory on the way to {@code socket} this user may not search (no x for it):
     * then no group on the socket helps. Null when every one can be entered.
     */
    static Path firstUnsearchableDirectory(Path socket) {
        Path parent = socket.toAbsolutePath().normalize().getParent();
        if (parent == null) {
            return null;
        }
        Path dir = parent.getRoot();
        for (Path name : parent) {
            dir = dir.resolve(name);
            if (Files.isDirectory(dir) && !Files.isExecutable(dir)) {
                return dir;
            }
        }
        return null;
    }

    /** " (mode 0700, owner alice)" for a directory whose parent can be entered; "" when unknown. */
    private static String describe(Path dir) {
        try {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(dir);
            return " (" + PosixFilePermissions.toString(mode) + ", owner " + Files.getOwner(dir).getName() + ")";
        } catch (IOException | UnsupportedOperationException e) {
            return "";
        }
    }

    /**
     * Names why {@code connect} failed. The JDK reports errno as a SocketException (or a subclass)
     * whose message is the C library's text ("No such file or directory", "Connection refused",
     * "Permission denied"); the file system decides when the text says nothing we know.
     */
    static Failure unreachable(Path socket, SocketException e) {
        String reason = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
        if (reason.contains("permission denied") || reason.contains("operation not permitted")) {
            Path blocking = firstUnsearchableDirectory(socket);
            if (blocking != null) {
                return Failure.unreachable("permission_denied", "permission denied on " + socket + ": your user cannot"
                        + " enter the directory " + blocking + describe(blocking) + ", so the socket's group does not"
                        + " help; use a socket in a directory you can enter (clf-orchestrator --dev --socket PATH)");
            }
            return Failure.unreachable("permission_denied",
                    "permission denied on " + socket + ": your user must be in the clf-bots group");
        }
        if (reason.contains("connection refused")) {
            if (Files.exists(socket) && !isSocket(socket)) {
                return Failure.unreachable("connection_refused", socket + " is not a socket");
            }
            return Failure.unreachable("connection_refused", "connection refused on " + socket
                    + ": nothing is listening (is clf-orchestrator running? systemctl status clf-orchestrator.service)");
        }
        if (reason.contains("no such file") || reason.contains("not a directory") || Files.notExists(socket)) {
            return Failure.unreachable("no_socket", "no orchestrator socket at " + socket
                    + " (is clf-orchestrator.socket running? systemctl status clf-orchestrator.socket)");
        }
        return Failure.unreachable("unreachable", "cannot connect to " + socket + ": " + e.getMessage());
    }

    /** Whether {@code path} is a socket file (st_mode S_IFSOCK); true when that cannot be told. */
    private static boolean isSocket(Path path) {
        try {
            int mode = (Integer) Files.getAttribute(path, "unix:mode");
            return (mode & 0170000) == 0140000;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return true;
        }
    }

    private static byte[] request(String method, String path, String jsonBody) {
        byte[] body = jsonBody == null ? new byte[0] : jsonBody.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(160)
                .append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: localhost\r\n")
                .append("Accept: application/json\r\n")
                .append("Connection: close\r\n");
        if (jsonBody != null) {
            head.append("Content-Type: application/json\r\n");
        }
        if (jsonBody != null || method.equals("POST")) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] request = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, request, 0, headBytes.length);
        System.arraycopy(body, 0, request, headBytes.length, body.length);
        return request;
    }

    private static Response read(InputStream in) throws IOException {
        int[] budget = {MAX_HEADER_BYTES};
        String statusLine = line(in, budget);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || !parts[1].matches("\\d{3}")) {
            throw badResponse("malformed status line '" + statusLine + "'");
        }
        int status = Integer.parseInt(parts[1]);
        long contentLength = -1;
        boolean chunked = false;
        for (String header = line(in, budget); !header.isEmpty(); header = line(in, budget)) {
            int colon = header.indexOf(':');
            if (colon <= 0) {
                throw badResponse("malformed header line");
            }
            String name = header.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = header.substring(colon + 1).strip();
            if (name.equals("content-length")) {
                if (!value.matches("\\d{1,18}")) {
                    throw badResponse("bad Content-Length '" + value + "'");
                }
                contentLength = Long.parseLong(value);
            } else if (name.equals("transfer-encoding")) {
                chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
            }
        }
        byte[] body;
        if (chunked) {
            body = chunked(in);
        } else if (contentLength >= 0) {
            if (contentLength > Protocol.MAX_RESPONSE_BYTES) {
                throw tooLarge(contentLength);
            }
            body = in.readNBytes((int) contentLength);
            if (body.length < contentLength) {
                throw badResponse("body ended after " + body.length + " of " + contentLength + " bytes");
            }
        } else {
            body = untilEnd(in);
        }
        return new Response(status, new String(body, StandardCharsets.UTF_8));
    }

    private static byte[] chunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int[] budget = {MAX_HEADER_BYTES};
        while (true) {
            String sizeLine = line(in, budget);
            int semicolon = sizeLine.indexOf(';');
            String hex = (semicolon >= 0 ? sizeLine.substring(0, semicolon) : sizeLine).strip();
            if (!hex.matches("[0-9a-fA-F]{1,8}")) {
                throw badResponse("bad chunk size '" + hex + "'");
            }
            long size = Long.parseLong(hex, 16);
            if (size == 0) {
                while (!line(in, budget).isEmpty()) {
                    // trailers are ignored
                }
                return body.toByteArray();
            }
            if (body.size() + size > Protocol.MAX_RESPONSE_BYTES) {
                throw tooLarge(body.size() + size);
            }
            byte[] chunk = in.readNBytes((int) size);
            if (chunk.length < size) {
                throw badResponse("chunk ended early");
            }
            body.write(chunk);
            line(in, budget);
        }
    }

    private static byte[] untilEnd(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            body.write(buffer, 0, n);
            if (body.size() > Protocol.MAX_RESPONSE_BYTES) {
                throw tooLarge(body.size());
            }
        }
        return body.toByteArray();
    }

    /** One CRLF- (or LF-) terminated line, counted against {@code budget}. */
    private static String line(InputStream in, int[] budget) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw badResponse("connection closed before the response was complete");
            }
            if (--budget[0] < 0) {
                throw badResponse("response header larger than " + MAX_HEADER_BYTES + " bytes");
            }
            line.append((char) b);
        }
        int end = line.length();
        if (end > 0 && line.charAt(end - 1) == '\r') {
            line.setLength(end - 1);
        }
        return line.toString();
    }

    private static Failure badResponse(String why) {
        return Failure.refused("bad_response", "bad response: " + why);
    }

    private static Failure tooLarge(long bytes) {
        return Failure.refused("bad_response",
                "response body too large (" + bytes + " bytes; limit " + Protocol.MAX_RESPONSE_BYTES + ")");
    }
}
