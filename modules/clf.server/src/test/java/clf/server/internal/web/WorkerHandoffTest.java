package clf.server.internal.web;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.undertow.Undertow;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The hand-off on a real Undertow listener: a reply comes back, and so does a failure to make one. */
class WorkerHandoffTest {
    Undertow server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void aReplyMadeOnAWorkerIsSentFromTheIoThread() throws IOException {
        int port = serve(() -> "made on " + (Thread.currentThread().getName().contains("I/O") ? "io" : "worker"));
        String answer = get(port);
        assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
        assertTrue(answer.endsWith("made on worker"), answer);
    }

    /** Before, an exception while working out the reply left the connection open until the idle timeout. */
    @Test
    void aFailureWhileWorkingOutTheReplyIsA500AndEndsTheExchange() throws IOException {
        int port = serve(() -> {
            throw new IllegalStateException("gathering failed");
        });
        String answer = get(port);
        assertTrue(answer.startsWith("HTTP/1.1 500"), answer);
        assertTrue(!answer.contains("<still open>") && !answer.contains("gathering failed"), answer);
    }

    private int serve(java.util.function.Supplier<String> work) {
        server = Undertow.builder().setIoThreads(1).setWorkerThreads(2).addHttpListener(0, "127.0.0.1")
                .setHandler(exchange -> WorkerHandoff.reply(exchange, work,
                        text -> exchange.getResponseSender().send(text)))
                .build();
        server.start();
        return ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    }

    /** One request with Connection: close; what came back until the server closed (or 5 s passed). */
    private static String get(int port) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = socket.getInputStream();
            StringBuilder text = new StringBuilder();
            byte[] buffer = new byte[4096];
            try {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    text.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
                }
            } catch (SocketTimeoutException e) {
                text.append("<still open>");
            }
            return text.toString();
        }
    }
}
