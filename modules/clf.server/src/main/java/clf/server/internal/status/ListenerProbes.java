package clf.server.internal.status;

import clf.protocol.Health;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * Health checks of the listeners: each connects as a client would and hangs up at once. A
 * connection proves that the socket is bound and reachable where clients look for it; the
 * bot socket's accept thread is asked too, since the kernel completes a Unix connect into the
 * backlog even when nobody accepts.
 */
final class ListenerProbes {
    private ListenerProbes() {
    }

    /** The bot socket at {@code path}: its accept loop runs and a client can connect. */
    static Health.Check botSocket(Path path, BooleanSupplier accepting, Duration timeout) {
        if (!accepting.getAsBoolean()) {
            return Health.Check.failing("the accept loop of the bot socket has stopped");
        }
        try (AFUNIXSocket socket = AFUNIXSocket.newInstance()) {
            socket.connect(AFUNIXSocketAddress.of(path), (int) timeout.toMillis());
            return Health.Check.well("accepting connections at " + path);
        } catch (IOException e) {
            return Health.Check.failing("cannot connect to " + path + ": " + e.getMessage());
        }
    }

    /**
     * The cattle listener: a TCP connection to the address it is bound to. Only the port is
     * reported, as in the log: the address is where secrets are handed out.
     */
    static Health.Check cattleListener(InetSocketAddress address, Duration timeout) {
        try (Socket socket = new Socket()) {
            socket.connect(address, (int) timeout.toMillis());
            return Health.Check.well("accepting connections on port " + address.getPort());
        } catch (IOException e) {
            return Health.Check.failing("cannot connect on port " + address.getPort() + ": "
                    + e.getClass().getSimpleName());
        }
    }
}
