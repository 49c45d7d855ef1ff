package clf.server.internal.web;

import io.undertow.server.HttpServerExchange;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The one way both listeners answer: called on the IO thread, the reply is worked out on a
 * worker thread (it waits for SQLite, and on the cattle listener for tailscaled) and handed back
 * to the exchange's IO thread, which sends it without blocking and ends the exchange there.
 * Ending exchanges on their IO thread keeps Undertow's read side from spinning while a worker
 * finishes one, and a client that stalls holds no worker thread (32 such clients once stopped
 * both listeners, which share the worker's task threads).
 */
public final class WorkerHandoff {
    private WorkerHandoff() {
    }

    /** From the IO thread: {@code work} on a worker thread, then {@code send} its result on the IO thread. */
    public static <R> void reply(HttpServerExchange exchange, Supplier<R> work, Consumer<R> send) {
        exchange.dispatch(() -> {
            R reply = work.get();
            exchange.dispatch(exchange.getIoThread(), () -> send.accept(reply));
        });
    }
}
