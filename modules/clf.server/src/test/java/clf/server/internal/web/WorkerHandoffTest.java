package clf.server.internal.web;

import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.testing.RawHttp;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The hand-off on a real Undertow listener: a reply comes back, and so does a failure to make one. */
class WorkerHandoffTest {
    LoopbackListener listener;

    @AfterEach
    void stop() {
        if (listener != null) {
            listener.close();
        }
    }

    @Test
    void aReplyMadeOnAWorkerIsSentFromTheIoThread() throws IOException {
        serve(() -> "made on " + (Thread.currentThread().getName().contains("I/O") ? "io" : "worker"));
        String answer = listener.get(Duration.ofSeconds(5));
        assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
        assertTrue(answer.endsWith("made on worker"), answer);
    }

    /** Before, an exception while working out the reply left the connection open until the idle timeout. */
    @Test
    void aFailureWhileWorkingOutTheReplyIsA500AndEndsTheExchange() throws IOException {
        serve(() -> {
            throw new IllegalStateException("gathering failed");
        });
        String answer = listener.get(Duration.ofSeconds(5));
        assertTrue(answer.startsWith("HTTP/1.1 500"), answer);
        assertTrue(!answer.contains(RawHttp.STILL_OPEN) && !answer.contains("gathering failed"), answer);
    }

    private void serve(java.util.function.Supplier<String> work) {
        listener = new LoopbackListener(exchange -> WorkerHandoff.reply(exchange, work,
                text -> exchange.getResponseSender().send(text)));
    }
}
