package clf.server.internal.web;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * A listener's root handler while the daemon starts: requests are read and parsed as soon as the
 * socket accepts, and each waits here until {@link #open} names the handler that answers it, then
 * goes on on its IO thread as if it had just arrived. So the bot socket can accept while the
 * store still opens, and a supervisor's first /healthz costs the start only its answer. A start
 * that fails never opens the gate: the waiting connections are closed with the listener.
 */
public final class StartGate implements HttpHandler {
    private final CompletableFuture<HttpHandler> opened = new CompletableFuture<>();
    private volatile HttpHandler handler;

    /** Lets the waiting requests and every later one through to {@code next}. */
    public void open(HttpHandler next) {
        handler = next;
        opened.complete(next);
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        HttpHandler next = handler;
        if (next != null) {
            next.handleRequest(exchange);
            return;
        }
        // Re-entered once open, on the exchange's IO thread (Undertow runs a dispatched handler
        // through its root-handler net, as for a request that just arrived).
        Executor onceOpen = task -> opened.thenRun(() -> exchange.getIoThread().execute(task));
        exchange.dispatch(onceOpen, this);
    }
}
