package clf.server.internal;

import clf.hetzner.HetznerClient;
import clf.hetzner.HetznerConfig;
import clf.hetzner.Sleeper;
import clf.queue.JobStore;
import clf.queue.JobStores;
import clf.queue.StoreOptions;
import clf.queue.postgres.PostgresDatabase;
import clf.queue.sql.SqlEngine;
import clf.secrets.BootstrapTokens;
import clf.secrets.Secret;
import clf.secrets.SecretSource;
import clf.server.internal.cattle.CattleRuntime;
import clf.server.internal.cattle.capacity.HetznerBudget;
import clf.server.internal.cattle.capacity.SpawnSlots;
import clf.server.internal.cattle.catalog.CatalogCheck;
import clf.server.internal.cattle.fleet.LegacyFleet;
import clf.server.internal.cattle.listener.CattleApi;
import clf.server.internal.cattle.listener.PeerVerifier;
import clf.server.internal.cattle.listener.RefusedCallers;
import clf.server.internal.cattle.reap.ReapHandler;
import clf.server.internal.cattle.spawn.SpawnAdmission;
import clf.server.internal.cattle.spawn.SpawnHandler;
import clf.server.internal.cattle.startup.CattleStartup;
import clf.server.internal.config.CattleConfig;
import clf.server.internal.config.DatabaseConfig;
import clf.server.internal.config.EnvReader;
import clf.server.internal.config.ListenHost;
import clf.server.internal.config.MetricsListen;
import clf.server.internal.config.OrchestratorConfig;
import clf.server.internal.housekeeping.Housekeeping;
import clf.server.internal.housekeeping.PruneHandler;
import clf.server.internal.http.BotApi;
import clf.server.internal.http.EnqueueRate;
import clf.server.internal.log.JulToLog;
import clf.server.internal.log.Log;
import clf.server.internal.status.MetricsListener;
import clf.server.internal.status.StatusGatherer;
import clf.server.internal.tailnet.keys.JoinKeys;
import clf.server.internal.unix.Connections;
import clf.server.internal.unix.UnixBridge;
import clf.server.internal.web.ContentLengthCheck;
import clf.server.internal.web.HttpThreads;
import clf.server.internal.worker.JobHandler;
import clf.server.internal.worker.WorkerPool;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The running orchestrator: the job store, the bot API on its Unix socket, and the workers.
 * {@link #launch} builds them in order and binds the bot socket first: bots can enqueue, show
 * and list while the cattle side (tokens, capacity, the tailnet listener, then Hetzner's catalog
 * and the original's servers: round trips to Hetzner) starts on a thread of its own; the
 * workers start once it has ({@link #started}). If any step fails, what was built is closed
 * before the error is reported, so a failed start leaves no thread behind.
 */
public final class Daemon implements AutoCloseable {
    /** An idle bot connection is closed after this long (Undertow's and the bridge's timeout). */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(60);
    /** How long a spawn's enqueue waits for a cattle side that is still starting (a catalog check's wait at enqueue). */
    private static final Duration ADMIT_WAIT = Duration.ofSeconds(2);
    /** How long a store call waits for a lock another host holds: SQLite's busy timeout. */
    private static final Duration LOCK_TIMEOUT = Duration.ofSeconds(10);

    private final OrchestratorConfig config;
    private final Log log;
    /** The daemon's one clock: every part that reads the time is given this one. */
    private final Clock clock;
    private final List<AutoCloseable> opened = new ArrayList<>();
    /** The cattle side's parts, closed together after the workers (running jobs use them). */
    private final List<AutoCloseable> cattleOpened = new ArrayList<>(); // guarded by itself
    private boolean cattleClosed; // guarded by cattleOpened
    private Thread cattleStarter;
    /** Completes once everything runs (the cattle side included), or with the error that stopped the start. */
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    private JobStore store;
    private StatusGatherer status;
    private CattleStartup cattle;
    /** The fleet's shared PostgreSQL, under every store; null on SQLite (each store has its file). */
    private PostgresDatabase shared;
    private HttpThreads httpThreads;
    private UnixBridge bridge;
    private volatile WorkerPool workers;
    private InetSocketAddress metricsListener;

    private Daemon(OrchestratorConfig config, Log log, Clock clock) {
        this.config = config;
        this.log = log;
        this.clock = clock;
    }

    /** As {@link #start(OrchestratorConfig, Map, SecretSource, Log, Clock)} with secrets from the environment. */
    public static Daemon start(OrchestratorConfig config, Map<String, String> env, Log log, Clock clock)
            throws IOException {
        return start(config, env, SecretSource.fromEnvironment(env), log, clock);
    }

    /**
     * Starts the daemon reading secrets from {@code secrets} and the time from {@code clock}, and
     * returns once everything runs, the cattle side included ({@link #launch} and {@link #started}).
     */
    public static Daemon start(OrchestratorConfig config, Map<String, String> env, SecretSource secrets, Log log,
            Clock clock) throws IOException {
        Daemon daemon = launch(config, env, secrets, log, clock);
        try {
            daemon.started().get();
            return daemon;
        } catch (ExecutionException e) {
            daemon.close();
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            daemon.close();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the daemon started", e);
        }
    }

    /**
     * Starts the daemon and returns as soon as the bot socket answers; the cattle side may still be
     * starting. {@link #started} tells when it has, or why it could not: the caller then closes
     * the daemon and exits 1, as for any failed start.
     */
    public static Daemon launch(OrchestratorConfig config, Map<String, String> env, SecretSource secrets, Log log,
            Clock clock) throws IOException {
        Daemon daemon = new Daemon(config, log, clock);
        try {
            daemon.startAll(env, secrets);
            return daemon;
        } catch (IOException | RuntimeException e) {
            daemon.closeOpened();
            throw e;
        }
    }

    /** Completes once everything runs, the cattle side included; or with the error that stopped its start. */
    public CompletableFuture<Void> started() {
        return started;
    }

    private void startAll(Map<String, String> env, SecretSource secrets) throws IOException {
        if (config.trustRequester()) {
            log.warn("config.trust-requester", "effect",
                    "requester is taken from requests; any bot may act as any requester");
        }
        // The store's open is one thread's work (~100 ms on a cold JVM, most of it SQLite's); the
        // bot API's front, which needs no store, is made on another meanwhile.
        // java.util.logging is routed into the log on that thread, unless the store's driver logs
        // through it too (pgjdbc): then before the store opens.
        boolean sqlite = !config.database().shared();
        if (!sqlite) {
            JulToLog.install(log);
        }
        CompletableFuture<BotFront> preparing = CompletableFuture.supplyAsync(
                () -> BotFront.prepare(config, env, log, sqlite), task -> new Thread(task, "clf-start-http").start());
        try {
            openStore(secrets);
        } catch (RuntimeException e) {
            try {
                closeQuietly(preparing.join()); // before the error is reported: no socket or thread stays behind
            } catch (CompletionException alsoFailed) {
                e.addSuppressed(alsoFailed.getCause());
            }
            throw e;
        }
        BotFront front;
        try {
            front = preparing.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
        httpThreads = front.threads();
        bridge = front.bridge(); // the status checks read it once the gate opens
        opened.add(httpThreads);
        opened.add(this::closeCattle); // after the workers: a running spawn needs tokens and capacity
        try {
            serveBotApi(front);
        } catch (RuntimeException e) {
            front.closeSocket();
            throw e;
        }
        opened.add(front.socket());
        opened.add(bridge);
        log.info("bot-api.listening", "socket", config.socketPath(), "activated", front.socket().activated());
        afterTheSocket(env, secrets);
    }

    /** The workers, the status checks and the bot API over the store, as the front's handler. */
    private void serveBotApi(BotFront front) {
        CattleStartup cattle = config.cattle() == null ? null : new CattleStartup(clock);
        this.cattle = cattle;
        List<JobHandler> handlers = new ArrayList<>();
        if (cattle == null) {
            log.warn("cattle.disabled", "effect", "cattle.spawn and cattle.reap jobs are refused (CLF_CATTLE_ENABLED=0)");
            handlers.add(new PruneHandler(store, null, Duration.ofDays(config.retentionDays())));
        }
        workers = new WorkerPool(store, handlers, new WorkerPool.Settings(config.workerConcurrency(),
                config.workerPoll(), config.workerLease(), config.workerLeaseRefresh()), log, workerIdPrefix(),
                clock);
        StatusGatherer status = new StatusGatherer(Version.of(Daemon.class), clock, store,
                (shared != null ? shared.engine() : SqlEngine.SQLITE).displayName(),
                shared != null ? shared.location() : config.dbPath().toString(), workers,
                config.socketPath(), () -> bridge != null && bridge.accepting(), cattle, StatusGatherer.CHECK_TIMEOUT);
        opened.add(status);
        this.status = status;

        Connections connections = front.connections();
        // A spawn enqueued while the cattle side starts waits for it as long as a catalog check may
        // (then the run decides, as when Hetzner cannot be asked).
        SpawnAdmission admission = new SpawnAdmission(config.cattle(), config.maxTtl(),
                () -> cattle == null ? null : cattle.runtimeWithin(ADMIT_WAIT));
        front.serve(new ContentLengthCheck(new BotApi(store, connections, config.trustRequester(), admission,
                workers::cancelRequested, status, config.limits(), enqueueRate(), shared == null, clock, log)));
    }

    /** What starts once the bot socket answers: /metrics, the wake-ups, housekeeping and the cattle side. */
    private void afterTheSocket(Map<String, String> env, SecretSource secrets) {
        startMetricsListener(env, status); // TCP: XNIO's NIO worker, made after the bot socket answers
        opened.add(() -> workers.shutdown(config.shutdownGrace()));

        // Idle workers claim at once when a job is enqueued on any host sharing the store
        // (PostgreSQL: NOTIFY), not at their next poll; closed first when the daemon stops.
        opened.add(store.onEnqueued(workers::wake));
        Housekeeping housekeeping = new Housekeeping(store, clock, log);
        opened.add(housekeeping);
        housekeeping.start(config.cattle() == null ? null : config.cattle().reapInterval());
        if (cattle == null) {
            workers.start();
            started.complete(null);
            return;
        }
        cattleStarter = new Thread(() -> startCattleBehindTheSocket(cattle, secrets), "clf-cattle-start");
        cattleStarter.setDaemon(true);
        cattleStarter.start();
    }

    /**
     * The cattle side, on its own thread once the bot socket answers; then the workers, which all
     * cattle kinds and the prune (which also prunes tokens) need. A failure completes
     * {@link #started} with it: the daemon is then stopped and exits 1.
     */
    private void startCattleBehindTheSocket(CattleStartup startup, SecretSource secrets) {
        try {
            CattleStartup.Parts parts = startCattle(config.cattle(), secrets);
            startup.ready(parts);
            CattleRuntime cattle = parts.runtime();
            workers.addHandlers(List.of(new SpawnHandler(cattle), new ReapHandler(cattle),
                    new PruneHandler(store, cattle.tokens(), Duration.ofDays(config.retentionDays()))));
            workers.start();
            started.complete(null);
        } catch (RuntimeException | Error e) {
            startup.failed(e);
            started.completeExceptionally(e);
        }
    }

    /** Registers a part of the cattle side to be closed with it; closes it at once if the daemon is closing. */
    private <T extends AutoCloseable> T cattlePart(T part) {
        synchronized (cattleOpened) {
            if (!cattleClosed) {
                cattleOpened.add(part);
                return part;
            }
        }
        closeQuietly(part);
        throw new IllegalStateException("the daemon stopped while the cattle side started");
    }

    private void closeCattle() {
        List<AutoCloseable> parts;
        synchronized (cattleOpened) {
            cattleClosed = true;
            parts = new ArrayList<>(cattleOpened);
            cattleOpened.clear();
        }
        for (int i = parts.size() - 1; i >= 0; i--) {
            closeQuietly(parts.get(i));
        }
    }

    private void closeQuietly(AutoCloseable part) {
        try {
            part.close();
        } catch (Exception e) {
            log.error("clf-orchestrator.close-failed", "error", e.toString());
        }
    }

    /**
     * The job store on the engine the configuration chose, once: the fleet's PostgreSQL (one
     * pool for jobs, tokens and capacity) with {@code CLF_DATABASE_URL}, else SQLite at
     * {@code CLF_DB_PATH}. Logged with where it is, never with the password.
     */
    private void openStore(SecretSource secrets) {
        StoreOptions options = StoreOptions.defaults().withClock(clock);
        DatabaseConfig database = config.database();
        if (!database.shared()) {
            store = JobStores.openSqlite(config.dbPath(), options);
            opened.add(store);
            log.info("store.opened", "engine", SqlEngine.SQLITE.displayName(), "location", config.dbPath());
            return;
        }
        // Read at start only: a rotated password takes a restart (connections log in once).
        String password = secrets.get(DatabaseConfig.PASSWORD).map(Secret::reveal).orElse(null);
        shared = PostgresDatabase.open(database.postgres(), password, database.connections(), LOCK_TIMEOUT);
        opened.add(shared);
        store = JobStores.openPostgres(shared, options);
        opened.add(store);
        log.info("store.opened", "engine", shared.engine().displayName(), "location", shared.location(),
                "connections", database.connections(), "password", password == null ? "none" : "set");
    }

    /** Each bot's enqueue rate: in this process on SQLite (one host), in the shared store on PostgreSQL. */
    private EnqueueRate enqueueRate() {
        int perSecond = config.limits().enqueuesPerSecond();
        int burst = config.limits().enqueueBurst();
        return shared != null ? EnqueueRate.shared(shared, perSecond, burst)
                : EnqueueRate.inMemory(perSecond, burst, System::nanoTime);
    }

    /** The loopback {@code /metrics} listener of CLF_METRICS_LISTEN, if set (validated with the config). */
    private void startMetricsListener(Map<String, String> env, StatusGatherer status) {
        MetricsListen where = MetricsListen.fromEnv(new EnvReader(env));
        if (where != null) {
            Undertow listener = MetricsListener.start(where, httpThreads.tcpWorker(), status, IDLE_TIMEOUT);
            opened.add(listener::stop);
            metricsListener = MetricsListener.address(listener);
            log.info("metrics.listening", "address", where.host(), "port", metricsListener.getPort());
        }
    }

    /** Where the {@code /metrics} listener is bound; null without CLF_METRICS_LISTEN. */
    public InetSocketAddress metricsListener() {
        return metricsListener;
    }

    /** Opens the cattle side: tokens, capacity, the Hetzner client and the tailnet listener. */
    private CattleStartup.Parts startCattle(CattleConfig cattle, SecretSource secrets) {
        BootstrapTokens tokens = shared != null ? BootstrapTokens.open(shared, clock)
                : BootstrapTokens.open(cattle.tokensPath(), clock);
        cattlePart(tokens);
        SpawnSlots slots = shared != null ? SpawnSlots.open(shared, clock)
                : SpawnSlots.open(cattle.tokensPath().resolveSibling("capacity.sqlite"), clock);
        cattlePart(slots);
        HetznerClient hetzner = HetznerClient.create(HetznerConfig.defaults().withBaseUrl(cattle.hcloudApiUrl()),
                () -> secrets.get(CattleConfig.HCLOUD_TOKEN).map(Secret::reveal).orElse(""), clock, Sleeper.real());
        HetznerBudget.apply(hetzner, config.hetznerReservePercent(), log);
        String host = ListenHost.resolve(cattle.listenHost());
        PeerVerifier peers = PeerVerifier.start(cattle.verifyPeer(), cattle.tailscaleSocket(), log);
        RefusedCallers refusals = new RefusedCallers(clock, log).start();
        cattlePart(refusals);
        Undertow listener = Undertow.builder()
                .setWorker(httpThreads.tcpWorker())
                .addHttpListener(cattle.listenPort(), host)
                .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, (int) IDLE_TIMEOUT.toMillis())
                .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, 10_000)
                // The bot API's header limits, not Undertow's defaults (1 MiB, 200 headers):
                // anyone on the tailnet reaches this listener.
                .setServerOption(UndertowOptions.MAX_HEADER_SIZE, 16 * 1024)
                .setServerOption(UndertowOptions.MAX_HEADERS, 64)
                .setHandler(new CattleApi(tokens, secrets, store, peers, refusals, cattle.deleteOnFinish(), log))
                .build();
        listener.start();
        cattlePart(listener::stop);
        InetSocketAddress bound = (InetSocketAddress) listener.getListenerInfo().get(0).getAddress();
        String baseUrl = cattle.secretsBaseUrl() != null ? cattle.secretsBaseUrl()
                : "http://" + ListenHost.urlHost(host) + ":" + bound.getPort();
        // The URL is not logged: it names where secrets are handed out.
        log.info("cattle-api.listening", "port", bound.getPort());
        log.info("cattle.enabled", "image", cattle.image(), "server_type", cattle.serverType(), "location",
                cattle.location(), "max_instances", cattle.maxInstances(), "hetzner", cattle.hcloudApiUrl());
        // Before any cattle job runs (local problems, such as the listen address, are reported first):
        // a server type, image or location Hetzner does not offer stops the daemon (exit 1).
        CatalogCheck catalog = CatalogCheck.create(hetzner, cattle, clock, log);
        cattlePart(catalog);
        LegacyFleet legacy = new LegacyFleet(cattle.adoptLegacy(), clock);
        if (catalog.checkAtStart()) {
            legacy.logAtStart(hetzner, log); // not when Hetzner just failed: the start would wait out its retries twice
        }
        CattleRuntime runtime = new CattleRuntime(cattle, hetzner, tokens, slots, secrets, baseUrl, config.defaultTtl(),
                config.maxTtl(), clock, log, store, catalog, legacy, JoinKeys.of(cattle.tailnetJoin(), secrets, clock, log));
        return new CattleStartup.Parts(runtime, bound, peers);
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
        stopCattleStarter();
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

    /** A cattle start still under way (say, waiting out Hetzner's retries) is interrupted and given a moment. */
    private void stopCattleStarter() {
        Thread starter = cattleStarter;
        if (starter != null && starter.isAlive()) {
            starter.interrupt();
            try {
                starter.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        started.completeExceptionally(new IllegalStateException("the daemon stopped while the cattle side started"));
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
}
