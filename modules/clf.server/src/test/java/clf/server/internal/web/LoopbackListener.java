package clf.server.internal.web;

import clf.testing.RawHttp;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;

/** A real Undertow listener on a loopback port with one root handler, for the web package's tests. */
final class LoopbackListener implements AutoCloseable {
    private final Undertow server;

    LoopbackListener(HttpHandler root) {
        server = Undertow.builder().setIoThreads(1).setWorkerThreads(2).addHttpListener(0, "127.0.0.1")
                .setHandler(root).build();
        server.start();
    }

    /**
     * One {@code GET /} with Connection: close; what came back until the server closed (or
     * {@code timeout} passed, then ending in {@link RawHttp#STILL_OPEN}).
     */
    String get(Duration timeout) throws IOException {
        int port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
        return RawHttp.untilClosed(port, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", timeout);
    }

    @Override
    public void close() {
        server.stop();
    }
}
