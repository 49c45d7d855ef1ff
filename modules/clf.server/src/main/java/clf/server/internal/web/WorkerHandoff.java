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
 *
 * <p>The work is dispatched as a handler, not a bare task, so that Undertow's root-handler net
 * catches what it throws: the client gets a 500 and the exchange ends (and Undertow logs it),
 * instead of a connection left open until the idle timeout.
 */
public final class WorkerHandoff {
    private WorkerHandoff() {
    }

    /** From the IO thread: {@code work} on a worker thread, then {@code send} its result on the IO thread. */
    public static <R> void reply(HttpServerExchange exchange, Supplier<R> work, Consumer<R> send) {
        exchange.dispatch(dispatched -> {
            R reply = work.get();
            dispatched.dispatch(dispatched.getIoThread(), () -> send.accept(reply));
        });
    }
}
