package clf.server.internal.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.testing.RawHttp;
import io.undertow.Undertow;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The gate on a real Undertow listener: requests wait until it opens, then go through as if they had just come. */
class StartGateTest {
    Undertow server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void requestsThatCameBeforeTheGateOpenedAreAnsweredByTheHandlerItOpensWith() throws Exception {
        StartGate gate = new StartGate();
        int port = serve(gate);
        List<CompletableFuture<String>> early = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            early.add(CompletableFuture.supplyAsync(() -> get(port)));
        }
        // Nothing answers them while the gate is shut (they are read and wait).
        assertThrowsTimeout(() -> early.get(0).get(300, TimeUnit.MILLISECONDS));

        gate.open(exchange -> WorkerHandoff.reply(exchange, () -> "answered", text -> exchange.getResponseSender().send(text)));

        for (CompletableFuture<String> answer : early) {
            String text = answer.get(5, TimeUnit.SECONDS);
            assertTrue(text.startsWith("HTTP/1.1 200") && text.endsWith("answered"), text);
        }
        String later = get(port);
        assertTrue(later.startsWith("HTTP/1.1 200") && later.endsWith("answered"), later);
    }

    @Test
    void aHandlerThatFailsBehindTheGateGetsUndertowsNetA500() throws Exception {
        StartGate gate = new StartGate();
        int port = serve(gate);
        CompletableFuture<String> early = CompletableFuture.supplyAsync(() -> get(port));
        assertThrowsTimeout(() -> early.get(200, TimeUnit.MILLISECONDS));

        gate.open(exchange -> {
            throw new IllegalStateException("not ready after all");
        });

        String text = early.get(5, TimeUnit.SECONDS);
        assertEquals("HTTP/1.1 500", text.substring(0, 12), text);
    }

    private int serve(StartGate gate) {
        server = Undertow.builder().setIoThreads(1).setWorkerThreads(2).addHttpListener(0, "127.0.0.1")
                .setHandler(gate).build();
        server.start();
        return ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    }

    private static void assertThrowsTimeout(Executable waiting) {
        try {
            waiting.execute();
        } catch (TimeoutException expected) {
            return;
        } catch (Throwable other) {
            throw new AssertionError("expected no answer yet, got " + other, other);
        }
        throw new AssertionError("answered before the gate opened");
    }

    /** One request with Connection: close; what came back until the server closed (or 10 s passed). */
    private static String get(int port) {
        try {
            return RawHttp.untilClosed(port, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", Duration.ofSeconds(10));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
