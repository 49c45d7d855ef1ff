package clf.server.internal.status;

import clf.protocol.Protocol;
import clf.server.internal.config.MetricsListen;
import clf.server.internal.web.WorkerHandoff;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.xnio.XnioWorker;

/**
 * {@code GET /metrics} on a loopback TCP port ({@link MetricsListen}), and nothing else: every
 * other path and method is 404, so unlike forwarding the bot socket it hands no local user the
 * bot API. The same text as the socket's {@code /metrics}.
 */
public final class MetricsListener implements HttpHandler {
    private final StatusGatherer status;

    private MetricsListener(StatusGatherer status) {
        this.status = status;
    }

    /** Binds and starts the listener; stop it with {@link Undertow#stop}. */
    public static Undertow start(MetricsListen where, XnioWorker worker, StatusGatherer status, Duration idleTimeout) {
        Undertow listener = Undertow.builder()
                .setWorker(worker)
                .addHttpListener(where.port(), where.host().replaceAll("^\\[|\\]$", ""))
                .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, (int) idleTimeout.toMillis())
                .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, 10_000)
                .setServerOption(UndertowOptions.MAX_HEADER_SIZE, 16 * 1024)
                .setServerOption(UndertowOptions.MAX_HEADERS, 64)
                .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, 0L)
                .setHandler(new MetricsListener(status))
                .build();
        listener.start();
        return listener;
    }

    /** Where {@code listener} is bound (the port, when 0 was asked for). */
    public static InetSocketAddress address(Undertow listener) {
        return (InetSocketAddress) listener.getListenerInfo().get(0).getAddress();
    }

    /** A wrong path or method is answered on the IO thread; gathering reads the store, so it runs on a worker. */
    @Override
    public void handleRequest(HttpServerExchange exchange) {
        if (!Methods.GET.equals(exchange.getRequestMethod()) || !"/metrics".equals(exchange.getRequestPath())) {
            exchange.setStatusCode(404);
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
            exchange.getResponseSender().send("not found: only GET /metrics is served here\n");
            return;
        }
        WorkerHandoff.reply(exchange, () -> PrometheusText.render(status.gather()).getBytes(StandardCharsets.UTF_8),
                body -> {
                    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, Protocol.METRICS_CONTENT_TYPE);
                    exchange.getResponseSender().send(ByteBuffer.wrap(body));
                });
    }
}
