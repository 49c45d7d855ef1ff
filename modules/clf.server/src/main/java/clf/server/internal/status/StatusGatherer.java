package clf.server.internal.status;

import clf.hetzner.ClientStats;
import clf.protocol.Health;
import clf.protocol.StatusReport;
import clf.queue.JobStore;
import clf.queue.QueueStats;
import clf.queue.StoreException;
import clf.secrets.TokenStats;
import clf.server.internal.cattle.CattleRuntime;
import clf.server.internal.cattle.listener.PeerVerifier;
import clf.server.internal.cattle.startup.CattleStartup;
import clf.server.internal.wire.Statuses;
import clf.server.internal.worker.WorkerPool;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Gathers a {@link StatusReport} on request: the health checks, then the figures of the store,
 * the workers and the cattle side. Nothing is kept between requests but the counters the parts
 * keep themselves. One report feeds both {@code /v1/status} and {@code /metrics}.
 */
public final class StatusGatherer implements AutoCloseable {
    /** How long a health check may take before it counts as failed. */
    public static final Duration CHECK_TIMEOUT = Duration.ofSeconds(2);

    private final String version;
    private final Instant startedAt;
    private final Clock clock;
    private final JobStore store;
    private final WorkerPool workers;
    /** Null when cattle is disabled. */
    private final CattleStartup cattle;
    private final DatabaseProbe database;
    private final String storeEngine;
    private final String storeLocation;
    private final Map<String, Supplier<Health.Check>> checks = new LinkedHashMap<>();

    /**
     * As {@link #StatusGatherer(String, Clock, JobStore, String, String, WorkerPool, Path, BooleanSupplier,
     * CattleStartup, Duration)} with the cattle side already started.
     *
     * @param cattle         null when cattle is disabled
     * @param cattleListener the address the cattle listener is bound to; null when cattle is disabled
     * @param peers          the cattle listener's peer verification; null when cattle is disabled
     */
    public StatusGatherer(String version, Clock clock, JobStore store, String storeEngine, String storeLocation,
            WorkerPool workers, Path botSocket, BooleanSupplier accepting, CattleRuntime cattle,
            InetSocketAddress cattleListener, PeerVerifier peers, Duration checkTimeout) {
        this(version, clock, store, storeEngine, storeLocation, workers, botSocket, accepting,
                started(clock, cattle, cattleListener, peers), checkTimeout);
    }

    /**
     * @param botSocket      where bots connect
     * @param accepting      whether the bot socket's accept loop runs
     * @param cattle         the cattle side, which may still be starting; null when cattle is disabled
     * @param storeEngine    the database engine behind {@code store}, as {@code clf status} names it
     * @param storeLocation  where that database is, without any secret
     */
    public StatusGatherer(String version, Clock clock, JobStore store, String storeEngine, String storeLocation,
            WorkerPool workers, Path botSocket, BooleanSupplier accepting, CattleStartup cattle,
            Duration checkTimeout) {
        this.version = version;
        this.startedAt = clock.instant();
        this.clock = clock;
        this.store = store;
        this.storeEngine = storeEngine;
        this.storeLocation = storeLocation;
        this.workers = workers;
        this.cattle = cattle;
        this.database = new DatabaseProbe(store::ping, checkTimeout);
        checks.put(Health.DATABASE, database::check);
        checks.put(Health.BOT_SOCKET, () -> ListenerProbes.botSocket(botSocket, accepting, checkTimeout));
        if (cattle != null) {
            // While the cattle side starts (behind the bot socket), its checks say so and pass.
            checks.put(Health.CATTLE_LISTENER, () -> cattle.check("the cattle listener is being set up",
                    parts -> ListenerProbes.cattleListener(parts.listener(), checkTimeout)));
        }
        checks.put(Health.WORKERS, () -> workersCheck(workers.figures()));
        if (cattle != null) {
            checks.put(Health.HETZNER_CATALOG, () -> cattle.check("Hetzner's catalog is being read",
                    parts -> parts.runtime().catalog().health()));
            checks.put(Health.PEER_VERIFICATION, () -> cattle.check("peer verification is being set up",
                    parts -> parts.peers().health()));
        }
    }

    private static CattleStartup started(Clock clock, CattleRuntime cattle, InetSocketAddress listener,
            PeerVerifier peers) {
        if (cattle == null) {
            return null;
        }
        CattleStartup startup = new CattleStartup(clock);
        startup.ready(new CattleStartup.Parts(cattle, listener, peers));
        return startup;
    }

    /** Runs every check; one that throws has failed with what it threw. */
    public Health health() {
        Map<String, Health.Check> results = new LinkedHashMap<>();
        checks.forEach((name, check) -> {
            Health.Check result;
            try {
                result = check.get();
            } catch (RuntimeException e) {
                result = Health.Check.failing("the check failed: " + e);
            }
            results.put(name, result);
        });
        return new Health(results);
    }

    static Health.Check workersCheck(StatusReport.Workers figures) {
        String seen = figures.alive() + " of " + figures.configured() + " alive, " + figures.busy() + " busy, "
                + figures.stuck() + " past their lease";
        return figures.alive() == figures.configured() && figures.stuck() == 0
                ? Health.Check.well(seen) : Health.Check.failing(seen);
    }

    /** The health checks and every figure, now. */
    public StatusReport gather() {
        Health health = health();
        // A store that failed its check may hang a query too: its figures are left out.
        StatusReport.Jobs jobs = health.checks().get(Health.DATABASE).ok() ? jobs() : null;
        return new StatusReport(version, startedAt, clock.instant(), health, jobs, workers.figures(),
                workers.timings().claimLatency(), workers.timings().handlerDuration(),
                cattleFigures(),
                new StatusReport.Store(storeEngine, storeLocation, database.lastAnswerSeconds()));
    }

    /** The cattle side's figures; null when cattle is disabled or still starting. */
    private StatusReport.Cattle cattleFigures() {
        CattleStartup.Parts parts = cattle == null ? null : cattle.now();
        return parts == null ? null : cattle(parts.runtime());
    }

    private StatusReport.Jobs jobs() {
        QueueStats stats;
        try {
            stats = store.stats();
        } catch (StoreException e) {
            return null;
        }
        List<StatusReport.Count> counts = new ArrayList<>();
        for (QueueStats.Count count : stats.counts()) {
            counts.add(new StatusReport.Count(count.kind(), Statuses.toWire(count.status()), count.jobs()));
        }
        return new StatusReport.Jobs(counts, stats.runnable(), stats.oldestRunnableSince().orElse(null));
    }

    private static StatusReport.Cattle cattle(CattleRuntime cattle) {
        Integer servers;
        try {
            servers = cattle.slots().held();
        } catch (StoreException e) {
            servers = null;
        }
        StatusReport.Tokens tokens;
        try {
            TokenStats stats = cattle.tokens().stats();
            Map<String, Long> refused = new LinkedHashMap<>();
            stats.refused().forEach((reason, count) -> refused.put(reason.wireName(), count));
            tokens = new StatusReport.Tokens(stats.issued(), stats.redeemed(), stats.revoked(), refused,
                    stats.expiredUnused());
        } catch (StoreException e) {
            tokens = null;
        }
        ClientStats api = cattle.hetzner().stats();
        StatusReport.Hetzner hetzner = new StatusReport.Hetzner(api.answers(), api.transportFailures(),
                api.rateLimitLimit().isPresent() ? api.rateLimitLimit().getAsLong() : null,
                api.rateLimitRemaining().isPresent() ? api.rateLimitRemaining().getAsLong() : null,
                api.rateLimitReset().isPresent() ? Instant.ofEpochSecond(api.rateLimitReset().getAsLong()) : null);
        return new StatusReport.Cattle(servers, cattle.config().maxInstances(), tokens, hetzner);
    }

    @Override
    public void close() {
        database.close();
    }
}
