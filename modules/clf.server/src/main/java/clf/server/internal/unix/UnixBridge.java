package clf.server.internal.unix;

import clf.protocol.ErrorCode;
import clf.server.internal.auth.Caller;
import clf.server.internal.auth.CallerResolver;
import clf.server.internal.log.Log;
import clf.server.internal.web.V1Errors;
import io.undertow.server.protocol.http.HttpOpenListener;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketCredentials;
import org.xnio.IoUtils;

/**
 * Serves Undertow on a Unix socket. XNIO can only listen on TCP, so a thread here accepts with
 * junixsocket, reads the peer's credentials, admits or refuses the connection, and hands an
 * admitted one to Undertow as a {@link UnixConnection}: junixsocket's non-blocking channel
 * behind XNIO's conduit interfaces, served by one {@link UnixIoThread} of its own (the IO thread of
 * a {@link UnixWorker}, whose handed-off work runs on the daemon's HTTP task pool). Requests are
 * read and answers written on that socket directly, with no in-memory pipe or copying threads
 * in between (the bridge this class once was). Only public APIs of XNIO and Undertow are used.
 */
public final class UnixBridge implements AutoCloseable {
    private final AFUNIXServerSocket serverSocket;
    private final HttpOpenListener openListener;
    private final CallerResolver callers;
    private final Log log;
    private final ConnectionAdmission admission;
    private final Refusals refusals;
    private final ExecutorService refusalThreads;
    private final int idleTimeoutMs;
    private final UnixWorker worker;
    private final UnixIoThread io;
    private final Set<UnixConnection> open = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread acceptor;
    private volatile long lastRefusalLog;

    /**
     * @param tasks       where Undertow runs the work handlers hand off the IO thread (the daemon's HTTP task pool)
     * @param connections where exchanges find their caller (kept for the daemon's wiring; see {@link Connections})
     */
    public UnixBridge(AFUNIXServerSocket serverSocket, ExecutorService tasks, HttpOpenListener openListener,
            CallerResolver callers, Connections connections, Log log, int maxConnections, int maxPerUid,
            Duration idleTimeout) {
        this.serverSocket = serverSocket;
        this.openListener = openListener;
        this.callers = callers;
        this.log = log;
        this.admission = new ConnectionAdmission(maxConnections, maxPerUid);
        this.idleTimeoutMs = (int) idleTimeout.toMillis();
        AtomicInteger count = new AtomicInteger();
        this.refusalThreads = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "clf-refusal-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.refusals = new Refusals(refusalThreads);
        this.worker = UnixWorker.create(tasks, (what, error) -> log.error(what, "error", String.valueOf(error)));
        this.io = worker.ioThread();
        this.acceptor = new Thread(this::acceptLoop, "clf-accept");
        this.acceptor.setDaemon(true);
    }

    public void start() {
        io.start();
        acceptor.start();
    }

    /** Whether new connections are still taken: the accept loop and the IO thread run (health). */
    public boolean accepting() {
        return !closed.get() && acceptor.isAlive() && io.isAlive();
    }

    private void acceptLoop() {
        while (!closed.get()) {
            AFUNIXSocket socket;
            try {
                socket = serverSocket.accept();
            } catch (IOException e) {
                if (!closed.get()) {
                    log.error("bot-socket.accept-failed", "error", e.getMessage());
                    sleepQuietly(100);
                }
                continue;
            }
            Caller caller;
            try {
                AFUNIXSocketCredentials credentials = socket.getPeerCredentials();
                caller = callers.resolve(credentials.getUid(), credentials.getGid(), credentials.getPid());
            } catch (IOException | RuntimeException e) {
                IoUtils.safeClose(socket);
                log.error("bot-socket.credentials-failed", "error", e.getMessage());
                continue;
            }
            ConnectionAdmission.Verdict verdict = admission.admit(caller.uid(), caller.operator());
            if (verdict != ConnectionAdmission.Verdict.ADMITTED) {
                refuse(socket, caller, verdict);
                continue;
            }
            try {
                serve(socket, caller);
            } catch (IOException | RuntimeException e) {
                admission.release(caller.uid());
                IoUtils.safeClose(socket);
                log.error("bot-socket.serve-failed", "error", e.getMessage());
            }
        }
    }

    /**
     * A user at its cap gets 429 {@code quota_exceeded}, a full daemon 503 {@code unavailable},
     * each naming the limit and its variable; the refused connection holds no served place.
     */
    private void refuse(AFUNIXSocket socket, Caller caller, ConnectionAdmission.Verdict verdict) {
        boolean userAtCap = verdict == ConnectionAdmission.Verdict.USER_AT_CAP;
        ErrorCode code = userAtCap ? ErrorCode.QUOTA_EXCEEDED : ErrorCode.UNAVAILABLE;
        String message = userAtCap
                ? "connection limit: " + caller.describe() + " already holds " + admission.perUid()
                        + " connections to this orchestrator, the most one Unix user may hold"
                        + " (CLF_MAX_CONNECTIONS_PER_UID); close one and try again"
                : "connection limit: the orchestrator serves at most " + admission.total()
                        + " connections at once (CLF_MAX_CONNECTIONS); try again shortly";
        refusals.refuse(socket, code.httpStatus(), userAtCap ? "Too Many Requests" : "Service Unavailable",
                V1Errors.body(code, message));
        long now = System.nanoTime();
        if (now - lastRefusalLog > 10_000_000_000L) {
            lastRefusalLog = now;
            log.warn("bot-socket.connection-limit", "caller", caller.describe(), "limit",
                    userAtCap ? "CLF_MAX_CONNECTIONS_PER_UID" : "CLF_MAX_CONNECTIONS", "open", admission.open(),
                    "held_by_caller", admission.heldBy(caller.uid()), "action", "answered " + code.httpStatus()
                            + " and closed new connection");
        }
    }

    /** Hands an admitted connection to Undertow on the IO thread; its place is released when it closes. */
    private void serve(AFUNIXSocket socket, Caller caller) throws IOException {
        AFUNIXSocketChannel channel = socket.getChannel();
        channel.configureBlocking(false);
        long uid = caller.uid();
        AtomicReference<UnixConnection> self = new AtomicReference<>();
        UnixConnection connection = new UnixConnection(io, channel, caller, idleTimeoutMs, () -> {
            open.remove(self.get());
            admission.release(uid);
        });
        self.set(connection);
        open.add(connection);
        io.execute(() -> {
            try {
                connection.register();
            } catch (IOException | RuntimeException e) {
                log.error("bot-socket.serve-failed", "error", e.getMessage());
                IoUtils.safeClose(connection);
                return;
            }
            openListener.handleEvent(connection);
        });
    }

    /** Stops accepting; connections already open stay until {@link #closeConnections()}. */
    public void stopAccepting() {
        if (closed.compareAndSet(false, true)) {
            try {
                serverSocket.close();
            } catch (IOException e) {
                // already closed
            }
        }
    }

    public void closeConnections() {
        for (UnixConnection connection : open) {
            IoUtils.safeClose(connection);
        }
    }

    @Override
    public void close() {
        stopAccepting();
        closeConnections();
        worker.shutdown();
        refusalThreads.shutdownNow();
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
