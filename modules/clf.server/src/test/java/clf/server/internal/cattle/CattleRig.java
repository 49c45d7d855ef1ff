package clf.server.internal.cattle;

import clf.hetzner.HetznerClient;
import clf.hetzner.HetznerConfig;
import clf.hetzner.sim.HetznerSimulator;
import clf.hetzner.sim.SimServer;
import clf.queue.Job;
import clf.queue.JobEvent;
import clf.queue.JobStore;
import clf.queue.JobStores;
import clf.queue.NewJob;
import clf.queue.RetryPolicy;
import clf.queue.StoreOptions;
import clf.secrets.BootstrapTokens;
import clf.secrets.SecretSource;
import clf.server.internal.cattle.capacity.SpawnSlots;
import clf.server.internal.cattle.catalog.CatalogCheck;
import clf.server.internal.cattle.fleet.Labels;
import clf.server.internal.cattle.fleet.LegacyFleet;
import clf.server.internal.cattle.reap.ReapHandler;
import clf.server.internal.cattle.spawn.SpawnHandler;
import clf.server.internal.config.CattleConfig;
import clf.server.internal.config.TailnetJoin;
import clf.server.internal.config.VerifyPeer;
import clf.server.internal.log.Log;
import clf.server.internal.tailnet.keys.JoinKeys;
import clf.server.internal.worker.WorkerPool;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * The cattle handlers as the daemon runs them, on one machine: a real job store, real bootstrap
 * tokens and capacity file (temp SQLite files), a real Hetzner client talking HTTP to an in-test
 * {@link HetznerSimulator}, and a real {@link WorkerPool}. Timings are shrunk: boots of 200 ms,
 * status polls of 20 ms, client retries of 20 ms, retries of failed jobs after 50 ms. The
 * client's waits after a 429 (at least 1 s each, from the headers) are kept but shortened
 * twentyfold by its {@link clf.hetzner.Sleeper}, which adds up what it was asked to wait.
 */
public final class CattleRig implements AutoCloseable {
    static final String TOKEN = "rig-hcloud-token";
    static final Duration BOOT = Duration.ofMillis(200);

    public final Path dir;
    public final HetznerSimulator sim = HetznerSimulator.start();
    public final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    public final Log log = new Log(new PrintStream(logged, true, StandardCharsets.UTF_8), Clock.systemUTC());
    public final AtomicLong rateLimitWaitAskedMs = new AtomicLong();
    public final JobStore store;
    final BootstrapTokens tokens;
    public final SpawnSlots slots;
    public final Settings settings;
    public HetznerClient hetzner;
    public CattleRuntime runtime;
    public WorkerPool pool;

    /** What a test may change before {@link #start()}. */
    public static final class Settings {
        public int maxInstances = 20;
        public int maxPerRequester = 20;
        public int workers = 4;
        public Duration bootTimeout = Duration.ofSeconds(5);
        public Duration requestTimeout = Duration.ofSeconds(2);
        public Duration maxTtl = Duration.ofHours(24);
        public String serverType = "cx23";
        public String image = String.valueOf(HetznerSimulator.DEV_SNAPSHOT_ID);
        public String location = "nbg1";
        public boolean adoptLegacy = true;
        public boolean deleteOnFinish = true;
        public Clock clock = Clock.systemUTC();
        /** Static key by default; a test pointing it at a Tailscale simulator also sets {@link #secrets}. */
        public TailnetJoin tailnetJoin = new TailnetJoin(TailnetJoin.DEFAULT_API, List.of(TailnetJoin.DEFAULT_TAGS), false);
        public Map<String, String> secrets = Map.of("OPENAI_API_KEY", "sk-test", "TAILSCALE_AUTH_KEY", "tskey-test",
                "HCLOUD_TOKEN", TOKEN);
    }

    public CattleRig(Path dir) throws IOException {
        this.dir = dir;
        this.settings = new Settings();
        sim.requireToken(TOKEN);
        sim.setBootDelay(BOOT);
        sim.setDeleteDelay(Duration.ZERO);
        Path identity = Files.createDirectories(dir.resolve("identities/rex"));
        Files.writeString(identity.resolve("SOUL.md"), "# Rex\nCareful.\n");
        Files.writeString(identity.resolve("config.json"), "{\"schemaVersion\":1,\"model\":{\"primary\":\"openai/gpt-4o\"}}");
        StoreOptions defaults = StoreOptions.defaults();
        store = JobStores.openSqlite(dir.resolve("state/state.sqlite"), new StoreOptions(defaults.clock(),
                new RetryPolicy(Duration.ofMillis(50), Duration.ofMillis(200), 0), defaults.busyTimeout(),
                defaults.random()));
        tokens = BootstrapTokens.open(dir.resolve("state/tokens.sqlite"), Clock.systemUTC());
        slots = SpawnSlots.open(dir.resolve("state/capacity.sqlite"), Clock.systemUTC());
    }

    public HetznerClient client(Duration requestTimeout) {
        HetznerConfig config = HetznerConfig.defaults().withBaseUrl(sim.baseUrl()).withRequestTimeout(requestTimeout)
                .withRetries(4, Duration.ofMillis(20), Duration.ofMillis(100), 0)
                .withMaxRateLimitWait(Duration.ofSeconds(30));
        return HetznerClient.create(config, () -> TOKEN, Clock.systemUTC(), wait -> {
            rateLimitWaitAskedMs.addAndGet(wait.toMillis() >= 1000 ? wait.toMillis() : 0);
            Thread.sleep(wait.toMillis() >= 1000 ? wait.toMillis() / 20 : wait.toMillis());
        });
    }

    /**
     * The catalog read, and the base firewall chosen, made and cached, as a first spawn would, so a
     * test's request order is known.
     */
    public long ensureFirewall() throws Exception {
        runtime.catalog().forSpawn("", "", "");
        return runtime.legacy().firewallId(hetzner);
    }

    /** The cattle settings {@link #start()} runs with. */
    public CattleConfig config() {
        return new CattleConfig(URI.create(sim.baseUrl().toString()), settings.image, settings.serverType,
                settings.location, Set.of(),
                Set.of(), Set.of(), settings.maxInstances, settings.maxPerRequester, Map.of("team", "test"), true,
                "127.0.0.1", 0, null, Duration.ofMinutes(10), dir.resolve("identities"),
                List.of("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGRldm1vZGVkZXZtb2RlZGV2bW9kZWRldm1vZGVkZXZt test"),
                settings.bootTimeout, Duration.ofMillis(20), Duration.ofMinutes(5), dir.resolve("state/tokens.sqlite"),
                VerifyPeer.OFF, dir.resolve("no-tailscaled.sock"), settings.adoptLegacy, settings.tailnetJoin,
                settings.deleteOnFinish);
    }

    /** Starts the workers with {@link #settings}. */
    public CattleRig start() {
        CattleConfig config = config();
        SecretSource secrets = new SecretSource(null, settings.secrets);
        hetzner = client(settings.requestTimeout);
        runtime = new CattleRuntime(config, hetzner, tokens, slots, secrets, "http://127.0.0.1:18337",
                Duration.ofHours(2), settings.maxTtl, settings.clock, log, store,
                CatalogCheck.create(hetzner, config, settings.clock, log), new LegacyFleet(settings.adoptLegacy, settings.clock),
                JoinKeys.of(config.tailnetJoin(), secrets, settings.clock, log));
        pool = new WorkerPool(store, List.of(new SpawnHandler(runtime), new ReapHandler(runtime)),
                new WorkerPool.Settings(settings.workers, Duration.ofMillis(20), Duration.ofSeconds(2),
                        Duration.ofMillis(50)), log, "rig", Clock.systemUTC());
        pool.start();
        return this;
    }

    public static String spawnPayload(String ttl) {
        return "{\"identity\":\"rex\",\"ttl\":\"" + ttl + "\",\"task\":{\"schemaVersion\":1,\"taskId\":\"t-1\","
                + "\"type\":\"clawdbot.gateway.agent\",\"message\":\"hello\"}}";
    }

    public String spawn(String requester, int maxAttempts) {
        return enqueue(NewJob.of("cattle.spawn", requester, spawnPayload("1h")).withMaxAttempts(maxAttempts));
    }

    public String reap(boolean dryRun) {
        return enqueue(NewJob.of("cattle.reap", "clf", "{\"dryRun\":" + dryRun + "}"));
    }

    public String enqueue(NewJob job) {
        String id = store.enqueue(job).jobId();
        if (pool != null) {
            pool.wake();
        }
        return id;
    }

    public Job job(String id) {
        return store.get(id).orElseThrow();
    }

    public Job awaitJob(String id, Predicate<Job> condition) throws InterruptedException {
        await(() -> condition.test(job(id)), Duration.ofSeconds(20), () -> "job never got there: " + job(id)
                + "\nevents: " + events(id));
        return job(id);
    }

    public void await(BooleanSupplier condition, Duration timeout, java.util.function.Supplier<String> why)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(why.get() + "\nlog:\n" + logged);
            }
            Thread.sleep(5);
        }
    }

    public List<String> events(String id) {
        return store.events(id).stream().map(e -> e.type() + ": " + e.message()).toList();
    }

    public boolean hasEvent(String id, String type) {
        return store.events(id).stream().map(JobEvent::type).anyMatch(type::equals);
    }

    /** The simulator's servers carrying this job's label that are not being deleted. */
    public List<SimServer> liveServersOf(String jobId) {
        return sim.servers().stream()
                .filter(server -> jobId.equals(server.labels().get(Labels.JOB_ID)))
                .filter(server -> !server.status().equals("deleting"))
                .toList();
    }

    public List<SimServer> serversOf(String jobId) {
        return sim.servers().stream().filter(server -> jobId.equals(server.labels().get(Labels.JOB_ID))).toList();
    }

    /** Reservations held in the capacity file, read with plain JDBC. */
    public Set<String> reservations() throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("state/capacity.sqlite"));
             ResultSet rows = connection.createStatement().executeQuery("SELECT job_id FROM spawn_slots")) {
            Set<String> jobs = new java.util.HashSet<>();
            while (rows.next()) {
                jobs.add(rows.getString(1));
            }
            return jobs;
        }
    }

    /** Whether the job's bootstrap tokens are all used or expired (the VM can no longer redeem one). */
    public boolean tokensBurned(String jobId) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("state/tokens.sqlite"));
             var select = connection.prepareStatement(
                     "SELECT count(*) FROM bootstrap_tokens WHERE job_id = ? AND used_at IS NULL AND expires_at > ?")) {
            select.setString(1, jobId);
            select.setLong(2, System.currentTimeMillis());
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getInt(1) == 0;
            }
        }
    }

    public int tokenCount(String jobId) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("state/tokens.sqlite"));
             var select = connection.prepareStatement("SELECT count(*) FROM bootstrap_tokens WHERE job_id = ?")) {
            select.setString(1, jobId);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    public static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdown(Duration.ZERO);
        }
        sim.close();
        slots.close();
        tokens.close();
        store.close();
    }
}
