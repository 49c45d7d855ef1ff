package clf.server.internal.tailnet;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The one call clf makes to tailscaled's LocalAPI, the HTTP server on its Unix socket: whois,
 * "which tailnet node is at this address?". Plain JDK: a non-blocking SocketChannel to the
 * socket, one HTTP/1.1 request, the answer read under one deadline for the whole exchange and a
 * size cap, so a stuck or babbling tailscaled costs a bounded wait, never a thread.
 *
 * <p>The request is the one tailscale's own client sends (client/local/local.go, Client.WhoIs
 * and sendWithHeaders, at tailscale commit de9ec7ee, 2026-08-22): {@code GET
 * /localapi/v0/whois?addr=<IP:port, query-escaped>} with {@code Host: local-tailscaled.sock}
 * (apitype.LocalAPIHost; ipn/localapi/localapi.go validHost refuses other hosts with 403).
 * Nothing else is required on the Unix socket: the Go client also sends Tailscale-Cap, which the
 * server does not check, and basic auth only on macOS; {@code Sec-Tailscale: localapi} belongs to
 * tsnet's loopback LocalAPI (tsnet/tsnet.go), not to tailscaled's socket. Any local user may ask:
 * the socket is 0666 on Linux (safesocket/unixsocket.go) and a Unix-socket caller always gets
 * read access, which whois needs (ipn/ipnserver/server.go, actor.Permissions).
 *
 * <p>Answers (ipn/localapi/localapi.go, serveWhoIsWithBackend): 200 with the JSON of
 * apitype.WhoIsResponse ({@link WhoIsResponse}); 404 {@code no match for IP:port} when no node
 * has the address, which tailscale's client turns into ErrPeerNotFound, as any 404; 400 for a bad
 * {@code addr}; 403 {@code whois access denied}. The address goes with its port because in
 * userspace-networking mode tailscaled proxies tailnet connections and only the port tells
 * whose a loopback connection is (ipn/ipnlocal/local.go, LocalBackend.WhoIs).
 */
public final class LocalApi {
    /** tailscaled's socket on Linux (paths/paths.go, DefaultTailscaledSocket). */
    public static final Path DEFAULT_SOCKET = Path.of("/var/run/tailscale/tailscaled.sock");
    /** For the whole exchange. tailscaled answers whois from memory, well within this. */
    public static final Duration TIMEOUT = Duration.ofSeconds(2);
    /** A whois answer is a few KiB (one node); anything near this is not one. */
    static final int MAX_RESPONSE_BYTES = 256 * 1024;
    static final String HOST = "local-tailscaled.sock";

    private final Path socket;
    private final Duration timeout;

    public LocalApi(Path socket) {
        this(socket, TIMEOUT);
    }

    LocalApi(Path socket, Duration timeout) {
        this.socket = socket;
        this.timeout = timeout;
    }

    public Path socket() {
        return socket;
    }

    /** Whether something that can be a listening socket is at {@code path} (not a file or directory). */
    public static boolean socketPresent(Path path) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class).isOther();
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The node at {@code remote}; empty when tailscaled knows no node there (its 404).
     *
     * @throws LocalApiException when tailscaled cannot be asked, or its answer is not a whois answer
     */
    public Optional<TailnetNode> whois(InetSocketAddress remote) throws LocalApiException {
        String request = "GET /localapi/v0/whois?addr=" + queryEscape(addrPort(remote)) + " HTTP/1.1\r\n"
                + "Host: " + HOST + "\r\n"
                + "Connection: close\r\n"
                + "\r\n";
        HttpReply reply = exchange(request.getBytes(StandardCharsets.US_ASCII));
        if (reply.status() == 404) {
            return Optional.empty();
        }
        if (reply.status() != 200) {
            throw problem("whois answered HTTP " + reply.status() + ": " + reply.bodySnippet(), null);
        }
        try {
            return Optional.of(WhoIsResponse.node(reply.body()));
        } catch (LocalApiException e) {
            throw problem(e.getMessage(), null);
        }
    }

    /** {@code IP:port} as netip.ParseAddrPort reads it: IPv6 in brackets, without a zone. */
    static String addrPort(InetSocketAddress remote) {
        if (remote.getAddress() == null) {
            throw new IllegalArgumentException("unresolved address: " + remote);
        }
        String ip = remote.getAddress().getHostAddress();
        if (remote.getAddress() instanceof Inet6Address) {
            int zone = ip.indexOf('%');
            ip = "[" + (zone >= 0 ? ip.substring(0, zone) : ip) + "]";
        }
        return ip + ":" + remote.getPort();
    }

    /** Percent-encodes all but RFC 3986's unreserved characters, as Go's url.QueryEscape does for an address. */
    static String queryEscape(String value) {
        StringBuilder escaped = new StringBuilder(value.length() + 8);
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_'
                    || c == '~') {
                escaped.append(c);
            } else {
                escaped.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return escaped.toString();
    }

    /** Writes {@code request} and reads the reply, all before the deadline. */
    private HttpReply exchange(byte[] request) throws LocalApiException {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean connected = false;
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
                Selector selector = Selector.open()) {
            channel.configureBlocking(false);
            connected = channel.connect(UnixDomainSocketAddress.of(socket));
            SelectionKey key = channel.register(selector, connected ? SelectionKey.OP_WRITE : SelectionKey.OP_CONNECT);
            ByteBuffer out = ByteBuffer.wrap(request);
            ByteBuffer in = ByteBuffer.allocate(8 * 1024);
            byte[] received = new byte[8 * 1024];
            int length = 0;
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw problem("no answer within " + timeout.toMillis() + " ms", null);
                }
                if (selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left))) == 0) {
                    continue;
                }
                selector.selectedKeys().clear();
                if (key.isConnectable() && channel.finishConnect()) {
                    connected = true;
                    key.interestOps(SelectionKey.OP_WRITE);
                } else if (key.isWritable()) {
                    channel.write(out);
                    if (!out.hasRemaining()) {
                        key.interestOps(SelectionKey.OP_READ);
                    }
                } else if (key.isReadable()) {
                    int read = channel.read(in);
                    if (read > 0) {
                        if (length + read > MAX_RESPONSE_BYTES) {
                            throw problem("answer longer than " + MAX_RESPONSE_BYTES + " bytes", null);
                        }
                        if (length + read > received.length) {
                            received = Arrays.copyOf(received, Math.min(MAX_RESPONSE_BYTES, 2 * (length + read)));
                        }
                        System.arraycopy(in.array(), 0, received, length, read);
                        length += read;
                        in.clear();
                    }
                    Optional<HttpReply> reply;
                    try {
                        reply = HttpReply.parse(received, length, read < 0);
                    } catch (LocalApiException e) {
                        throw problem(e.getMessage(), null);
                    }
                    if (reply.isPresent()) {
                        return reply.get();
                    }
                }
            }
        } catch (LocalApiException e) {
            throw e;
        } catch (IOException e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw problem((connected ? "connection failed: " : "cannot connect: ") + reason, e);
        }
    }

    private LocalApiException problem(String what, Throwable cause) {
        return new LocalApiException("tailscaled's LocalAPI at " + socket + ": " + what, cause);
    }
}
