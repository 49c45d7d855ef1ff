package clf.server.internal.web;

import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.testing.RawHttp;
import io.undertow.Undertow;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
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
        assertTrue(!answer.contains(RawHttp.STILL_OPEN) && !answer.contains("gathering failed"), answer);
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
        return RawHttp.untilClosed(port, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", Duration.ofSeconds(5));
    }
}
