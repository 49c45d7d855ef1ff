package clf.server.internal;

import clf.queue.JobStore;
import clf.server.internal.auth.CallerResolver;
import clf.server.internal.auth.UserDirectory;
import clf.server.internal.config.OrchestratorConfig;
import clf.server.internal.http.BotApi;
import clf.server.internal.unix.BotSocket;
import clf.server.internal.unix.Connections;
import clf.server.internal.unix.SocketSafety;
import clf.server.internal.unix.UnixBridge;
import clf.server.internal.worker.JobHandler;
import clf.server.internal.worker.WorkerPool;
import io.undertow.UndertowOptions;
import io.undertow.server.DefaultByteBufferPool;
import io.undertow.server.protocol.http.HttpOpenListener;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.Xnio;
import org.xnio.XnioWorker;

/**
 * The running orchestrator: the job store, the bot API on its Unix socket, and the workers.
 * {@link #start} builds them in order and, if any step fails, closes what it had built before
 * rethrowing, so a failed start leaves no thread behind.
 */
public final class Daemon implements AutoCloseable {
    /** An idle bot connection is closed after this long (Undertow's and the bridge's timeout). */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(60);

    private final OrchestratorConfig config;
    private final Log log;
    private final List<AutoCloseable> opened = new ArrayList<>();
    private JobStore store;
    private XnioWorker xnioWorker;
    private UnixBridge bridge;
    private WorkerPool workers;

    private Daemon(OrchestratorConfig config, Log log) {
        this.config = config;
        this.log = log;
    }

    public static Daemon start(OrchestratorConfig config, Map<String, String> env, List<JobHandler> handlers, Log log)
            throws IOException {
        JulToLog.install(log);
        Daemon daemon = new Daemon(config, log);
        try {
            daemon.startAll(env, handlers);
            return daemon;
        } catch (IOException | RuntimeException e) {
            daemon.closeOpened();
            throw e;
        }
    }

    private void startAll(Map<String, String> env, List<JobHandler> handlers) throws IOException {
        if (config.trustRequester()) {
            log.warn("config.trust-requester", "effect",
                    "requester is taken from requests; any bot may act as any requester");
        }
        store = JobStore.open(config.dbPath());
        opened.add(store);
        log.info("store.opened", "path", config.dbPath());

        workers = new WorkerPool(store, handlers, new WorkerPool.Settings(config.workerConcurrency(),
                config.workerPoll(), config.workerLease(), config.workerLeaseRefresh()), log, workerIdPrefix());

        xnioWorker = Xnio.getInstance().createWorker(OptionMap.builder()
                .set(Options.WORKER_IO_THREADS, 2)
                .set(Options.WORKER_TASK_CORE_THREADS, 4) // 2 cores: more runnable threads only add switches
                .set(Options.WORKER_TASK_MAX_THREADS, 32)
                .set(Options.WORKER_NAME, "clf-http")
                .getMap());
        opened.add(this::stopXnio);
        HttpOpenListener openListener = new HttpOpenListener(new DefaultByteBufferPool(true, 16 * 1024, -1, 4),
                OptionMap.builder()
                        .set(UndertowOptions.NO_REQUEST_TIMEOUT, (int) IDLE_TIMEOUT.toMillis())
                        .set(UndertowOptions.REQUEST_PARSE_TIMEOUT, 10_000)
                        .set(UndertowOptions.DECODE_URL, false)
                        .set(UndertowOptions.MAX_HEADER_SIZE, 16 * 1024)
                        .set(UndertowOptions.MAX_HEADERS, 64)
                        .set(UndertowOptions.MAX_PARAMETERS, 64)
                        .getMap());
        Connections connections = new Connections();
        openListener.setRootHandler(new BotApi(store, connections, config.trustRequester(), config.maxTtl(),
                workers::wake, log));

        BotSocket.Opened socket = BotSocket.open(config.socketPath(), config.socketGroup(), env);
        opened.add(socket.socket());
        SocketSafety.check(config.socketPath());
        CallerResolver callers = new CallerResolver(new UserDirectory(config.passwdFile(), config.groupFile()),
                config.requesterPrefix(), config.operatorGroup(), ownUid());
        bridge = new UnixBridge(socket.socket(), xnioWorker, openListener, callers, connections, log,
                config.maxConnections(), IDLE_TIMEOUT);
        opened.add(bridge);
        bridge.start();
        log.info("bot-api.listening", "socket", config.socketPath(), "activated", socket.activated());

        workers.start();
        opened.add(() -> workers.shutdown(config.shutdownGrace()));
    }

    /**
     * Stops in the order that loses nothing: no new requests, no new claims, running jobs get
     * the grace period (then are released), then connections, HTTP threads and the store close.
     */
    @Override
    public void close() {
        log.info("clf-orchestrator.stopping", "grace_ms", config.shutdownGrace().toMillis());
        if (bridge != null) {
            bridge.stopAccepting();
        }
        closeOpened();
        log.info("clf-orchestrator.stopped");
    }

    private void closeOpened() {
        // Reverse order of opening: workers, bridge, socket, XNIO, store.
        for (int i = opened.size() - 1; i >= 0; i--) {
            try {
                opened.get(i).close();
            } catch (Exception e) {
                log.error("clf-orchestrator.close-failed", "error", e.toString());
            }
        }
        opened.clear();
    }

    private void stopXnio() throws InterruptedException {
        xnioWorker.shutdown();
        if (!xnioWorker.awaitTermination(5, TimeUnit.SECONDS)) {
            xnioWorker.shutdownNow();
        }
    }

    public JobStore store() {
        return store;
    }

    private static String workerIdPrefix() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "localhost";
        }
        return "clf-" + host + "-" + ProcessHandle.current().pid();
    }

    /** The daemon's own uid: a caller running as the daemon's user is an operator. */
    private static long ownUid() {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return -1;
        }
    }
}
