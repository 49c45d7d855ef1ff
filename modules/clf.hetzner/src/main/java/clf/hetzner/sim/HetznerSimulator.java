package clf.hetzner.sim;

import clf.hetzner.internal.sim.Faults;
import clf.hetzner.internal.sim.ImageCatalog;
import clf.hetzner.internal.sim.RateBucket;
import clf.hetzner.internal.sim.SimError;
import clf.hetzner.internal.sim.SimLog;
import clf.hetzner.internal.sim.SimRouter;
import clf.hetzner.internal.sim.SimState;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * A stateful Hetzner Cloud API on {@code http://127.0.0.1:<ephemeral port>/v1}, serving the
 * endpoints {@link clf.hetzner.HetznerClient} and Hetzner's official clients ({@code hcloud},
 * hcloud-python) use for servers, their power actions, actions, firewalls, SSH keys (list), and
 * the catalogue: server types (with Hetzner's deprecations), images (system images and snapshots),
 * locations and data centers. It refuses what Hetzner refuses, e.g. an unknown image or a server
 * type past its {@code unavailable_after}. Thread-safe; every method may be called while requests
 * are being answered.
 *
 * <p>Defaults: boot delay 2 s, delete delay 1 s, 3600 requests per hour, any bearer token, and one
 * snapshot image, {@code clf-cattle-dev} labelled {@code role=clf-cattle}, with id
 * {@link #DEV_SNAPSHOT_ID}.
 */
public final class HetznerSimulator implements AutoCloseable {
    /** The id of the {@code clf-cattle-dev} snapshot every simulator starts with (dev mode spawns from it). */
    public static final long DEV_SNAPSHOT_ID = ImageCatalog.DEV_SNAPSHOT_ID;

    private final Clock clock;
    private final SimState state;
    private final Faults faults = new Faults();
    private final RateBucket bucket;
    private final SimLog log = new SimLog();
    private final AtomicReference<String> requiredToken = new AtomicReference<>();
    private final List<SimListener> listeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<SimExchange>> observers = new CopyOnWriteArrayList<>();
    private final SimRouter router;
    private final HttpServer server;
    private final ExecutorService executor;

    private HetznerSimulator(Clock clock) throws IOException {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.state = new SimState(clock);
        this.bucket = new RateBucket(3600, clock.instant());
        this.router = new SimRouter(state, faults, bucket, clock, requiredToken::get, log, observers, listeners);
        // Loopback only: the simulator is never reachable from other hosts.
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        // One thread per request, so that a held (timed-out) answer never blocks the next request.
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "hetzner-sim-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        server.createContext("/", router);
        server.setExecutor(executor);
        server.start();
    }

    /** Starts on an ephemeral loopback port with the system clock. */
    public static HetznerSimulator start() {
        return start(Clock.systemUTC());
    }

    /** Starts with this clock driving status transitions, rate-limit refills and fault windows. */
    public static HetznerSimulator start(Clock clock) {
        try {
            return new HetznerSimulator(clock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the Hetzner simulator on 127.0.0.1", e);
        }
    }

    /** The API root to configure the client with, e.g. {@code http://127.0.0.1:40123/v1}. */
    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow(); // interrupts held answers
    }

    // ---- state -------------------------------------------------------------------------------

    /** All servers that exist now (including {@code deleting} ones), by id. */
    public List<SimServer> servers() {
        return state.servers();
    }

    public Optional<SimServer> server(long id) {
        return state.servers().stream().filter(server -> server.id() == id).findFirst();
    }

    public List<SimFirewall> firewalls() {
        return state.firewalls();
    }

    /**
     * Adds a server as {@code POST /servers} would (same checks, same listener call) without a
     * request, e.g. to fill pages. Location fsn1, type cx23, image ubuntu-24.04.
     *
     * @throws IllegalArgumentException if the API would refuse it (e.g. the name is taken)
     */
    public SimServer addServer(String name, Map<String, String> labels) {
        try {
            return router.seed(name, labels);
        } catch (SimError e) {
            throw new IllegalArgumentException(e.code() + ": " + e.getMessage(), e);
        }
    }

    // ---- catalogue ---------------------------------------------------------------------------

    /**
     * Adds a snapshot image (type snapshot, {@code name} null, status available, x86), as an
     * upload with {@code hcloud-upload-image} would leave one.
     *
     * @return the new image's id
     */
    public long addSnapshot(String description, Map<String, String> labels, Instant created) {
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(created, "created");
        return router.addSnapshot(description, labels == null ? Map.of() : labels, created);
    }

    /**
     * Deprecates a server type of the catalogue in every location it is sold in (replacing any
     * earlier deprecation): listed with the deprecation from now on, refused on create once the
     * simulator's clock is past {@code unavailableAfter}. {@code cx22} and {@code cx32} start
     * deprecated as on Hetzner (announced 2025-10-16, unavailable after 2025-12-31).
     *
     * @throws IllegalArgumentException if the catalogue has no such type
     */
    public void deprecateServerType(String name, Instant announced, Instant unavailableAfter) {
        Objects.requireNonNull(announced, "announced");
        Objects.requireNonNull(unavailableAfter, "unavailableAfter");
        router.deprecateServerType(Objects.requireNonNull(name, "name"), announced, unavailableAfter);
    }

    /** The id of the seeded {@code clf-cattle-dev} snapshot; always {@link #DEV_SNAPSHOT_ID}. */
    public long devSnapshotId() {
        return DEV_SNAPSHOT_ID;
    }

    // ---- servers -----------------------------------------------------------------------------

    /** The server goes {@code off}, as after a shutdown from inside the VM. */
    public void powerOff(long id) {
        setPower(id, true);
    }

    public void powerOn(long id) {
        setPower(id, false);
    }

    private void setPower(long id, boolean off) {
        try {
            state.setPoweredOff(id, off);
        } catch (SimError e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** As if an operator deleted the firewall in the console (it is detached first). */
    public void removeFirewall(long id) {
        state.removeFirewall(id);
    }

    /** How long new servers stay {@code initializing}. */
    public void setBootDelay(Duration delay) {
        state.setBootDelay(nonNegative(delay));
    }

    /** How long a deleted server stays {@code deleting} before it is gone. */
    public void setDeleteDelay(Duration delay) {
        state.setDeleteDelay(nonNegative(delay));
    }

    /** Accept only this bearer token ({@code null}: any non-empty one); others get 401. */
    public void requireToken(String token) {
        requiredToken.set(token);
    }

    /** The rate limit per hour; the bucket starts full. */
    public void setRateLimit(int requestsPerHour) {
        if (requestsPerHour < 1) {
            throw new IllegalArgumentException("requestsPerHour must be positive: " + requestsPerHour);
        }
        bucket.setLimit(requestsPerHour, clock.instant());
    }

    // ---- hooks -------------------------------------------------------------------------------

    public void addListener(SimListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Sees every exchange after its answer is decided and before it is sent (also 429s, injected
     * failures and held answers). Observers run on the request's thread and must not throw.
     */
    public void addObserver(Consumer<SimExchange> observer) {
        observers.add(Objects.requireNonNull(observer, "observer"));
    }

    /** How many requests a route got, e.g. {@code count("POST /servers")}; faults included. */
    public long count(String route) {
        return log.count(route);
    }

    /** The most recent exchanges (up to 10,000), oldest first. */
    public List<SimExchange> exchanges() {
        return log.recent();
    }

    // ---- faults ------------------------------------------------------------------------------

    /** The next {@code requests} requests get 429 with {@code RateLimit-Reset} = now + resetIn. */
    public void rateLimitNext(int requests, Duration resetIn) {
        faults.rateLimitNext(requests, nonNegative(resetIn));
    }

    /** Every request gets 429 until now + window, with {@code RateLimit-Reset} at its end. */
    public void rateLimitFor(Duration window) {
        faults.rateLimitUntil(clock.instant().plus(nonNegative(window)));
    }

    /** The next {@code requests} requests get this error (e.g. 500 {@code server_error}) without effect. */
    public void failNext(int requests, int status, String code) {
        failNext(requests, status, code, "injected failure");
    }

    public void failNext(int requests, int status, String code, String message) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("status must be 4xx or 5xx: " + status);
        }
        faults.failNext(requests, status, Objects.requireNonNull(code, "code"), Objects.requireNonNull(message, "message"));
    }

    /**
     * The next {@code requests} requests take effect but their answers are held for {@code hold}
     * (longer than the client's timeout: the answer is lost, as on a network failure).
     */
    public void holdNext(int requests, Duration hold) {
        faults.holdNext(requests, nonNegative(hold));
    }

    /** Every answer is delayed by this much (slow API). */
    public void setLatency(Duration latency) {
        faults.setLatency(nonNegative(latency));
    }

    /** List answers name the current page as {@code next_page} (a broken pagination). */
    public void setStuckPagination(boolean stuck) {
        faults.setStuckPagination(stuck);
    }

    public void clearFaults() {
        faults.clear();
    }

    private static Duration nonNegative(Duration duration) {
        if (duration == null || duration.isNegative()) {
            throw new IllegalArgumentException("duration must be zero or more: " + duration);
        }
        return duration;
    }

    @Override
    public String toString() {
        return "HetznerSimulator[" + baseUrl() + "]";
    }
}
