package clf.server.internal;

import clf.queue.sqlite.TrustedPaths;
import clf.server.internal.auth.CallerResolver;
import clf.server.internal.auth.UserDirectory;
import clf.server.internal.config.OrchestratorConfig;
import clf.server.internal.log.JulToLog;
import clf.server.internal.log.Log;
import clf.server.internal.unix.BotSocket;
import clf.server.internal.unix.Connections;
import clf.server.internal.unix.SocketSafety;
import clf.server.internal.unix.UnixBridge;
import clf.server.internal.web.HttpThreads;
import clf.server.internal.web.StartGate;
import com.fasterxml.jackson.jr.ob.JSON;
import io.undertow.UndertowOptions;
import io.undertow.server.DefaultByteBufferPool;
import io.undertow.server.HttpHandler;
import io.undertow.server.protocol.http.HttpOpenListener;
import io.undertow.util.DateUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.text.DateFormatSymbols;
import java.util.Date;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;
import org.xnio.OptionMap;

/**
 * The bot API's front, which needs no store: the HTTP task pool, Undertow's listener, the socket
 * and the bridge, accepting. {@link #prepare} runs on a thread of its own while the daemon's
 * first thread opens the store, each ~100 ms of a cold JVM's start on its own core. Requests
 * that come meanwhile are read and wait at the {@link StartGate} until {@link #serve} opens it
 * with the bot API; the first connection's costs (the caller's lookup, Undertow's first
 * exchange) are paid while the store still opens.
 */
final class BotFront implements AutoCloseable {
    private final HttpThreads threads;
    private final Connections connections;
    private final BotSocket.Opened socket;
    private final UnixBridge bridge;
    private final StartGate gate;

    private BotFront(HttpThreads threads, Connections connections, BotSocket.Opened socket, UnixBridge bridge,
            StartGate gate) {
        this.threads = threads;
        this.connections = connections;
        this.socket = socket;
        this.bridge = bridge;
        this.gate = gate;
    }

    /**
     * Makes the front. With {@code routeLibraryLogs}, java.util.logging is routed into the log
     * first (XNIO and Undertow log through it); a daemon whose store's driver logs through it too
     * (pgjdbc) routes it before the store opens instead. IO errors come wrapped, unchecked.
     */
    static BotFront prepare(OrchestratorConfig config, Map<String, String> env, Log log, boolean routeLibraryLogs) {
        // junixsocket's native library and classes, and what the first answer needs, on a third
        // thread: ~60 ms of a cold start that needs nothing made here; the bind below waits for
        // the library if it is still loading.
        Thread side = new Thread(() -> {
            warmTheStore();
            BotSocket.loadNative();
            warmTheLibraryLoggers();
            warmTheFirstAnswer();
        }, "clf-start-native");
        side.setDaemon(true); // it only loads; a start that fails meanwhile need not wait for it
        side.start();
        if (routeLibraryLogs) {
            JulToLog.install(log);
        }
        HttpThreads threads = new HttpThreads();
        try {
            HttpOpenListener listener = new HttpOpenListener(new DefaultByteBufferPool(true, 16 * 1024, -1, 4),
                    OptionMap.builder()
                            .set(UndertowOptions.NO_REQUEST_TIMEOUT, (int) Daemon.IDLE_TIMEOUT.toMillis())
                            .set(UndertowOptions.REQUEST_PARSE_TIMEOUT, 10_000)
                            .set(UndertowOptions.DECODE_URL, false)
                            .set(UndertowOptions.MAX_HEADER_SIZE, 16 * 1024)
                            .set(UndertowOptions.MAX_HEADERS, 64)
                            .set(UndertowOptions.MAX_PARAMETERS, 64)
                            .getMap());
            StartGate gate = new StartGate();
            listener.setRootHandler(gate);
            Connections connections = new Connections();
            BotSocket.Opened socket = BotSocket.open(config.socketPath(), config.socketGroup(), env);
            try {
                SocketSafety.check(config.socketPath());
                long ownUid = TrustedPaths.ownUid();
                UserDirectory users = new UserDirectory(config.passwdFile(), config.groupFile());
                users.userName(ownUid); // reads the files now, not at the first bot's connection
                CallerResolver callers = new CallerResolver(users, config.requesterPrefix(), config.operatorGroup(), ownUid);
                UnixBridge bridge = new UnixBridge(socket.socket(), threads.tasks(), listener, callers, connections, log,
                        config.maxConnections(), config.maxConnectionsPerUid(), Daemon.IDLE_TIMEOUT);
                bridge.start();
                return new BotFront(threads, connections, socket, bridge, gate);
            } catch (RuntimeException e) {
                closeQuietly(socket);
                throw e;
            }
        } catch (IOException e) {
            closeQuietly(threads);
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            closeQuietly(threads);
            throw e;
        }
    }

    /**
     * The locale's date symbols, which sqlite-jdbc's connection settings load for a date format
     * on every open (~20-40 ms of a cold start): loaded here at once, so the thread opening the
     * store finds them cached.
     */
    private static void warmTheStore() {
        DateFormatSymbols.getInstance(Locale.getDefault());
        TimeZone.getDefault();
    }

    /**
     * XNIO's and Undertow's message loggers, which jboss-logging builds through method handles
     * on their classes' first use (~25 ms of a cold start): the bridge's worker needs XNIO's,
     * the first request Undertow's. Initialized here, they route through java.util.logging as
     * usual whenever the front installs the log's handler. A class that cannot load is left to
     * fail where it is used.
     */
    private static void warmTheLibraryLoggers() {
        for (String name : new String[] {"org.xnio.XnioWorker", "org.xnio._private.Messages", "io.undertow.UndertowLogger"}) {
            try {
                Class.forName(name, true, BotFront.class.getClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                // not here to report it
            }
        }
    }

    /**
     * What every answer needs and a cold JVM makes on first use, made here while the store still
     * opens rather than in the first request: the Date header's formatter (with the time zone
     * names it loads) and the JSON writer.
     */
    private static void warmTheFirstAnswer() {
        DateUtils.toDateString(new Date());
        try {
            JSON.std.asString(Map.of("ok", true));
        } catch (IOException e) {
            // nothing was written anywhere; the first answer pays for what did not load
        }
    }

    HttpThreads threads() {
        return threads;
    }

    /** The bot connections open now (per-uid counts, for the API's limits). */
    Connections connections() {
        return connections;
    }

    BotSocket.Opened socket() {
        return socket;
    }

    UnixBridge bridge() {
        return bridge;
    }

    /** Answers the requests waiting at the gate, and every later one, with {@code api}. */
    void serve(HttpHandler api) {
        gate.open(api);
    }

    /** The bridge (its connections, never answered) and the socket; for a start that fails before it serves. */
    void closeSocket() {
        bridge.close();
        closeQuietly(socket);
    }

    /** All of it, for a start that failed before the daemon took the parts over. */
    @Override
    public void close() {
        closeSocket();
        closeQuietly(threads);
    }

    private static void closeQuietly(AutoCloseable part) {
        try {
            part.close();
        } catch (Exception e) {
            // a failed start is being reported; this part was never used
        }
    }
}
