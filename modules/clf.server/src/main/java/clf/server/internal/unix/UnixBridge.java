package clf.server.internal.unix;

import clf.protocol.ErrorCode;
import clf.server.internal.auth.Caller;
import clf.server.internal.auth.CallerResolver;
import clf.server.internal.log.Log;
import clf.server.internal.web.V1Errors;
import io.undertow.server.protocol.http.HttpOpenListener;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketCredentials;
import org.xnio.ChannelListeners;
import org.xnio.ChannelPipe;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;
import org.xnio.XnioIoThread;
import org.xnio.XnioWorker;
import org.xnio.channels.StreamSinkChannel;
import org.xnio.streams.ChannelInputStream;
import org.xnio.streams.ChannelOutputStream;

/**
 * Serves Undertow on a Unix socket. XNIO can only listen on TCP, so each accepted Unix
 * connection is joined to one end of an in-memory XNIO pipe whose other end Undertow serves as
 * an ordinary connection; two pump threads copy the bytes. Only public APIs are used.
 *
 * <p>Closing and half-closing the XNIO end happens on its IO thread: NIO finishes closing a
 * channel registered with a selector only when that selector runs, and doing it from a pump
 * thread left about one connection in a hundred hanging until the idle timeout.
 */
public final class UnixBridge implements AutoCloseable {
    private static final int BUFFER = 16 * 1024;

    private final AFUNIXServerSocket serverSocket;
    private final XnioWorker worker;
    private final HttpOpenListener openListener;
    private final CallerResolver callers;
    private final Connections connections;
    private final Log log;
    private final ConnectionAdmission admission;
    private final Refusals refusals;
    private final int idleTimeoutMs;
    private final ExecutorService pumps;
    private final Set<Bridged> open = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread acceptor;
    private volatile long lastRefusalLog;

    public UnixBridge(AFUNIXServerSocket serverSocket, XnioWorker worker, HttpOpenListener openListener,
            CallerResolver callers, Connections connections, Log log, int maxConnections, int maxPerUid,
            Duration idleTimeout) {
        this.serverSocket = serverSocket;
        this.worker = worker;
        this.openListener = openListener;
        this.callers = callers;
        this.connections = connections;
        this.log = log;
        this.admission = new ConnectionAdmission(maxConnections, maxPerUid);
        this.idleTimeoutMs = (int) idleTimeout.toMillis();
        AtomicInteger count = new AtomicInteger();
        this.pumps = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "clf-bridge-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.refusals = new Refusals(pumps);
        this.acceptor = new Thread(this::acceptLoop, "clf-accept");
        this.acceptor.setDaemon(true);
    }

    public void start() {
        acceptor.start();
    }

    /** Whether new connections are still taken: the accept loop runs and was not stopped (health). */
    public boolean accepting() {
        return !closed.get() && acceptor.isAlive();
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
                bridge(socket, caller);
            } catch (IOException | RuntimeException e) {
                admission.release(caller.uid());
                IoUtils.safeClose(socket);
                log.error("bot-socket.bridge-failed", "error", e.getMessage());
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

    private void bridge(AFUNIXSocket socket, Caller caller) throws IOException {
        socket.setSoTimeout(idleTimeoutMs);
        ChannelPipe<StreamConnection, StreamConnection> pipe = worker.createFullDuplexPipeConnection();
        Bridged bridged = new Bridged(socket, caller.uid(), pipe.getLeftSide(), pipe.getRightSide());
        open.add(bridged);
        connections.register(bridged.serverSide, caller);
        XnioIoThread serverThread = bridged.serverSide.getIoThread();
        serverThread.execute(() -> openListener.handleEvent(bridged.serverSide));
        pumps.execute(bridged::pumpToServer);
        pumps.execute(bridged::pumpToClient);
    }

    /** One Unix connection and the XNIO pipe it is joined to. */
    private final class Bridged {
        final AFUNIXSocket socket;
        final long uid;
        final StreamConnection serverSide;
        final StreamConnection bridgeSide;
        final AtomicBoolean done = new AtomicBoolean();

        Bridged(AFUNIXSocket socket, long uid, StreamConnection serverSide, StreamConnection bridgeSide) {
            this.socket = socket;
            this.uid = uid;
            this.serverSide = serverSide;
            this.bridgeSide = bridgeSide;
        }

        /** Client bytes to Undertow; the client's end of input becomes a half-close toward Undertow. */
        void pumpToServer() {
            byte[] buffer = new byte[BUFFER];
            try (OutputStream toServer = new ChannelOutputStream(bridgeSide.getSinkChannel())) {
                InputStream fromClient = socket.getInputStream();
                int n;
                while ((n = fromClient.read(buffer)) > 0) {
                    toServer.write(buffer, 0, n);
                    toServer.flush();
                }
                onIoThread(this::shutdownWritesToServer);
            } catch (IOException e) {
                close(); // client gone, idle too long, or Undertow closed its end
            }
        }

        /** Undertow's bytes to the client; when Undertow is done with the connection, so are we. */
        void pumpToClient() {
            byte[] buffer = new byte[BUFFER];
            try (InputStream fromServer = new ChannelInputStream(bridgeSide.getSourceChannel())) {
                OutputStream toClient = socket.getOutputStream();
                int n;
                while ((n = fromServer.read(buffer)) > 0) {
                    toClient.write(buffer, 0, n);
                    toClient.flush();
                }
            } catch (IOException e) {
                // the client went away mid-response; closing below is all there is to do
            } finally {
                close();
            }
        }

        void shutdownWritesToServer() {
            StreamSinkChannel sink = bridgeSide.getSinkChannel();
            try {
                sink.shutdownWrites();
                if (!sink.flush()) {
                    sink.getWriteSetter().set(ChannelListeners.flushingChannelListener(null,
                            ChannelListeners.closingChannelExceptionHandler()));
                    sink.resumeWrites();
                }
            } catch (IOException e) {
                IoUtils.safeClose(bridgeSide);
            }
        }

        void close() {
            if (!done.compareAndSet(false, true)) {
                return;
            }
            try {
                socket.close();
            } catch (IOException e) {
                // nothing left to tell the client
            }
            onIoThread(() -> {
                IoUtils.safeClose(bridgeSide);
                IoUtils.safeClose(serverSide);
            });
            connections.forget(serverSide);
            open.remove(this);
            admission.release(uid);
        }

        void onIoThread(Runnable action) {
            try {
                bridgeSide.getIoThread().execute(action);
            } catch (RuntimeException e) {
                action.run(); // the worker is shutting down; its IO threads take no more tasks
            }
        }
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
        for (Bridged bridged : open) {
            bridged.close();
        }
    }

    @Override
    public void close() {
        stopAccepting();
        closeConnections();
        pumps.shutdownNow();
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
