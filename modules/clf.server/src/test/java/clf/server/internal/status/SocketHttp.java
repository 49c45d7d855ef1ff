package clf.server.internal.status;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/** One HTTP/1.1 request per connection to a daemon's Unix socket, as a bot would send it. */
public final class SocketHttp {
    private SocketHttp() {
    }

    /** What came back; header names lower case. */
    public record Response(int status, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public Map<String, Object> json() throws IOException {
            return JSON.std.mapFrom(body);
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    public static Response get(Path socket, String target) throws IOException {
        return exchange(socket, "GET " + target + " HTTP/1.1\r\nHost: clf\r\nConnection: close\r\n\r\n");
    }

    public static Response post(Path socket, String target, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        return exchange(socket, "POST " + target + " HTTP/1.1\r\nHost: clf\r\nConnection: close\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n" + json);
    }

    /** A request without a body, any method (e.g. to see a 405). */
    public static Response request(Path socket, String method, String target) throws IOException {
        return exchange(socket, method + " " + target + " HTTP/1.1\r\nHost: clf\r\nConnection: close\r\n\r\n");
    }

    private static Response exchange(Path socket, String request) throws IOException {
        try (AFUNIXSocket connection = AFUNIXSocket.newInstance()) {
            connection.connect(AFUNIXSocketAddress.of(socket));
            connection.setSoTimeout(30_000);
            connection.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            connection.getOutputStream().flush();
            return read(connection.getInputStream());
        }
    }

    private static Response read(InputStream in) throws IOException {
        byte[] all = in.readAllBytes(); // Connection: close: the answer ends with the connection
        String text = new String(all, StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            throw new IOException("no complete HTTP head in: " + text);
        }
        String[] head = text.substring(0, end).split("\r\n");
        int status = Integer.parseInt(head[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < head.length; i++) {
            int colon = head[i].indexOf(':');
            headers.put(head[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), head[i].substring(colon + 1).strip());
        }
        String body = text.substring(end + 4);
        String length = headers.get("content-length");
        if (length != null && body.getBytes(StandardCharsets.UTF_8).length != Integer.parseInt(length)) {
            throw new IOException("body of " + body.getBytes(StandardCharsets.UTF_8).length + " bytes, Content-Length "
                    + length);
        }
        return new Response(status, headers, body);
    }
}
