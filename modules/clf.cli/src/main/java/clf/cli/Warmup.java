package clf.cli;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Map;

/**
 * Readies, on a second thread while the main one builds the command model and parses the
 * arguments, what a request needs first and the JDK makes slow to start: the Unix socket channel
 * (finding the selector provider; the channel's first use seeds a SecureRandom, which reads the
 * security configuration and sets up its providers) and Jackson's readers and writers. That was
 * about a fifth of a {@code clf jobs show} process, spent after parsing (issue 14); with a second
 * core free it now overlaps the parsing. Nothing here can be seen from outside: no connection is
 * made, and what fails here fails again, and is reported, in the request itself.
 */
final class Warmup {
    private Warmup() {
    }

    /** Starts the warm-up; a daemon thread, so it never holds the process up. */
    static void start() {
        Thread thread = new Thread(Warmup::run, "clf-warmup");
        thread.setDaemon(true);
        thread.start();
    }

    private static void run() {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
                Selector selector = Selector.open()) {
            Json.pretty(Json.parse("{\"warm\":[1]}"));
        } catch (IOException | RuntimeException e) {
            // Left for the request to meet and report.
        }
    }
}
