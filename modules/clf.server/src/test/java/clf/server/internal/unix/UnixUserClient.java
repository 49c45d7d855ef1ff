package clf.server.internal.unix;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Run in a JVM of its own under another Unix user (setpriv), as a bot would connect: the
 * daemon sees that user in the socket's peer credentials. Uses the JDK only, since the bot users
 * cannot read the Maven repository.
 *
 * <ul>
 *   <li>{@code hold <socket> <n> <expected>}: opens n connections, waits until at most
 *       {@code expected} are still silent (20 s at most), prints one line
 *       {@code admitted=<a> refused=<r> answer=<first refusal's answer>}, and holds the admitted
 *       ones until its standard input ends.
 *   <li>{@code get <socket> <target>}: one GET; prints the answer (empty when the connection was
 *       closed without one).
 * </ul>
 */
public final class UnixUserClient {
    private UnixUserClient() {
    }

    public static void main(String[] args) throws Exception {
        UnixDomainSocketAddress socket = UnixDomainSocketAddress.of(args[1]);
        if (args[0].equals("hold")) {
            hold(socket, Integer.parseInt(args[2]), Integer.parseInt(args[3]));
        } else {
            System.out.println(get(socket, args[2]).replace("\r\n", " "));
        }
    }

    private static void hold(UnixDomainSocketAddress socket, int count, int expectedSilent) throws Exception {
        List<SocketChannel> silent = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(socket);
            channel.configureBlocking(false);
            silent.add(channel);
        }
        // The daemon answers refused connections at once and admitted ones stay silent; it may still
        // be accepting the last ones, so look again until no more than expected are silent (or 20 s).
        int refused = 0;
        String answer = "";
        long deadline = System.nanoTime() + 20_000_000_000L;
        do {
            Thread.sleep(200);
            for (var it = silent.iterator(); it.hasNext(); ) {
                SocketChannel channel = it.next();
                ByteBuffer buffer = ByteBuffer.allocate(4096);
                int n;
                try {
                    n = channel.read(buffer);
                } catch (IOException e) {
                    n = -1;
                }
                if (n == 0) {
                    continue;
                }
                refused++;
                if (n > 0 && answer.isEmpty()) {
                    answer = new String(buffer.array(), 0, n, StandardCharsets.UTF_8).replace("\r\n", " ");
                }
                channel.close();
                it.remove();
            }
        } while (silent.size() > expectedSilent && System.nanoTime() < deadline);
        System.out.println("admitted=" + silent.size() + " refused=" + refused + " answer=" + answer);
        System.out.flush();
        System.in.readAllBytes(); // hold until the test lets go
    }

    private static String get(UnixDomainSocketAddress socket, String target) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(socket);
            OutputStream out = Channels.newOutputStream(channel);
            try {
                out.write(("GET " + target + " HTTP/1.1\r\nHost: clf\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (IOException e) {
                return "";
            }
            InputStream in = Channels.newInputStream(channel);
            try {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        }
    }
}
