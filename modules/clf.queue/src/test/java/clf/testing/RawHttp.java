package clf.testing;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 request on its own TCP connection, written byte for byte (so odd Authorization
 * values go out as they are), for tests of the cattle listener in-process and in the image.
 */
public final class RawHttp {
    private RawHttp() {
    }

    public record Response(int status, Map<String, String> headers, String body) {
        public Map<String, Object> json() throws IOException {
            return JSON.std.mapFrom(body);
        }

        public String errorMessage() throws IOException {
            return String.valueOf(((Map<?, ?>) json().get("error")).get("message"));
        }
    }

    /** Sends the request to 127.0.0.1:{@code port} with {@code Connection: close} and reads the answer to its end. */
    /** What {@link #untilClosed} appends when the server kept the connection open past the timeout. */
    public static final String STILL_OPEN = "<still open>";

    /**
     * Writes {@code request} as is to 127.0.0.1:{@code port} and returns every byte the server
     * sent until it closed the connection, as ISO-8859-1 text; {@link #STILL_OPEN} ends it when
     * the server was still silent and connected after {@code timeout}.
     */
    public static String untilClosed(int port, String request, Duration timeout) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) timeout.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder text = new StringBuilder();
            byte[] buffer = new byte[4096];
            try {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    text.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
                }
            } catch (java.net.SocketTimeoutException e) {
                text.append(STILL_OPEN);
            }
            return text.toString();
        }
    }

    public static Response request(int port, String host, Duration timeout, String method, String path,
            String authorization) throws IOException {
        return requestFrom(null, port, host, timeout, method, path, authorization);
    }

    /**
     * The same from the loopback address {@code source} (any of 127.0.0.0/8; null: the system's
     * choice), for tests where the listener counts what each source address does.
     */
    public static Response requestFrom(java.net.InetAddress source, int port, String host, Duration timeout,
            String method, String path, String authorization) throws IOException {
        return send(source, port, host, timeout, method, path, authorization, null);
    }

    /** As {@link #request}, with a JSON {@code body} (its Content-Length declared). */
    public static Response post(int port, String host, Duration timeout, String path, String authorization,
            String body) throws IOException {
        return send(null, port, host, timeout, "POST", path, authorization, body.getBytes(StandardCharsets.UTF_8));
    }

    private static Response send(java.net.InetAddress source, int port, String host, Duration timeout,
            String method, String path, String authorization, byte[] body) throws IOException {
        try (Socket socket = new Socket(java.net.InetAddress.getByName("127.0.0.1"), port, source, 0)) {
            socket.setSoTimeout((int) timeout.toMillis());
            StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\n");
            if (authorization != null) {
                request.append("Authorization: ").append(authorization).append("\r\n");
            }
            if (body != null) {
                request.append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
            }
            request.append("Connection: close\r\n\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            InputStream in = socket.getInputStream();
            String raw = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int split = raw.indexOf("\r\n\r\n");
            String[] head = raw.substring(0, split).split("\r\n");
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < head.length; i++) {
                int colon = head[i].indexOf(':');
                headers.put(head[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), head[i].substring(colon + 1).strip());
            }
            return new Response(Integer.parseInt(head[0].split(" ")[1]), headers, raw.substring(split + 4));
        }
    }
}
