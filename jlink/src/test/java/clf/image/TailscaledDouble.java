package clf.image;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.URLDecoder;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * tailscaled's LocalAPI for the image tests, on a real Unix socket the daemon is pointed at
 * (CLF_TAILSCALE_SOCKET). It answers whois for 127.0.0.1 (where the test, playing the VM, calls
 * from) as one tailnet node, in the shape of apitype.WhoIsResponse that ipn/localapi/localapi.go
 * writes (tailscale commit de9ec7ee), or 404 "no match for IP:port"; or it closes connections
 * unanswered. The unit tests of clf.server hold the fuller double and the captured-shape fixture;
 * this one only has to prove the daemon process wires the check in.
 */
final class TailscaledDouble implements AutoCloseable {
    private final Path socket;
    private final ServerSocketChannel server;
    private final List<String> whoisAddrs = new CopyOnWriteArrayList<>();
    private volatile String loopbackNode;
    private volatile boolean closeUnanswered;

    private TailscaledDouble(Path socket, ServerSocketChannel server) {
        this.socket = socket;
        this.server = server;
    }

    static TailscaledDouble start(Path socket) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        TailscaledDouble tailscaled = new TailscaledDouble(socket, server);
        Thread acceptor = new Thread(tailscaled::accept, "tailscaled-double");
        acceptor.setDaemon(true);
        acceptor.start();
        return tailscaled;
    }

    Path socket() {
        return socket;
    }

    /** 127.0.0.1 is the node whose MagicDNS name is {@code host}.tail4f3b2.ts.net; null: no node. */
    void loopbackIs(String host) {
        loopbackNode = host;
    }

    void closeUnanswered(boolean close) {
        closeUnanswered = close;
    }

    /** The addr of every whois asked so far. */
    List<String> whoisAddrs() {
        return List.copyOf(whoisAddrs);
    }

    private void accept() {
        while (server.isOpen()) {
            try (SocketChannel connection = server.accept()) {
                if (!closeUnanswered) {
                    serve(Channels.newInputStream(connection), Channels.newOutputStream(connection));
                }
            } catch (IOException e) {
                if (!server.isOpen()) {
                    return;
                }
            }
        }
    }

    private void serve(InputStream in, OutputStream out) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return;
            }
            head.write(b);
        }
        String target = head.toString(StandardCharsets.ISO_8859_1).split(" ")[1];
        String addr = target.startsWith("/localapi/v0/whois?addr=")
                ? URLDecoder.decode(target.substring("/localapi/v0/whois?addr=".length()), StandardCharsets.UTF_8) : "";
        whoisAddrs.add(addr);
        String node = loopbackNode;
        if (node == null || !addr.startsWith("127.0.0.1:")) {
            answer(out, 404, "text/plain; charset=utf-8", "no match for IP:port\n");
            return;
        }
        answer(out, 200, "application/json", whois(node));
    }

    private static String whois(String host) throws IOException {
        Map<String, Object> hostinfo = new LinkedHashMap<>();
        hostinfo.put("OS", "linux");
        hostinfo.put("Hostname", host);
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("ID", 7382615590122934L);
        node.put("StableID", "nQ7cVh3Zp921CNTRL");
        node.put("Name", host + ".tail4f3b2.ts.net.");
        node.put("User", 5629184410736501L);
        node.put("Addresses", List.of("100.101.102.103/32", "fd7a:115c:a1e0::e101:6667/128"));
        node.put("Hostinfo", hostinfo);
        node.put("Tags", List.of("tag:clf-cattle"));
        node.put("ComputedName", host);
        node.put("ComputedNameWithHost", host);
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("Node", node);
        response.put("UserProfile", Map.of("ID", 5629184410736501L, "LoginName", "tagged-devices",
                "DisplayName", "Tagged Devices"));
        response.put("CapMap", null);
        return JSON.std.with(JSON.Feature.PRETTY_PRINT_OUTPUT, JSON.Feature.WRITE_NULL_PROPERTIES).asString(response);
    }

    private static void answer(OutputStream out, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 " + status + (status == 200 ? " OK" : " Not Found") + "\r\nContent-Type: " + type
                + "\r\nContent-Length: " + bytes.length + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
        Files.deleteIfExists(socket);
    }
}
