package clf.server.internal.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    LoopbackListener listener;

    @AfterEach
    void stop() {
        if (listener != null) {
            listener.close();
        }
    }

    @Test
    void requestsThatCameBeforeTheGateOpenedAreAnsweredByTheHandlerItOpensWith() throws Exception {
        StartGate gate = new StartGate();
        listener = new LoopbackListener(gate);
        List<CompletableFuture<String>> early = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            early.add(CompletableFuture.supplyAsync(this::get));
        }
        // Nothing answers them while the gate is shut (they are read and wait).
        assertThrowsTimeout(() -> early.get(0).get(300, TimeUnit.MILLISECONDS));

        gate.open(exchange -> WorkerHandoff.reply(exchange, () -> "answered", text -> exchange.getResponseSender().send(text)));

        for (CompletableFuture<String> answer : early) {
            String text = answer.get(5, TimeUnit.SECONDS);
            assertTrue(text.startsWith("HTTP/1.1 200") && text.endsWith("answered"), text);
        }
        String later = get();
        assertTrue(later.startsWith("HTTP/1.1 200") && later.endsWith("answered"), later);
    }

    @Test
    void aHandlerThatFailsBehindTheGateGetsUndertowsNetA500() throws Exception {
        StartGate gate = new StartGate();
        listener = new LoopbackListener(gate);
        CompletableFuture<String> early = CompletableFuture.supplyAsync(this::get);
        assertThrowsTimeout(() -> early.get(200, TimeUnit.MILLISECONDS));

        gate.open(exchange -> {
            throw new IllegalStateException("not ready after all");
        });

        String text = early.get(5, TimeUnit.SECONDS);
        assertEquals("HTTP/1.1 500", text.substring(0, 12), text);
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

    /** One request, unchecked for the futures above (10 s at most). */
    private String get() {
        try {
            return listener.get(Duration.ofSeconds(10));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
