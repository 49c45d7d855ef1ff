package clf.server.internal.config;

import clf.protocol.Protocol;
import clf.protocol.RequesterName;
import clf.protocol.Ttl;
import clf.secrets.SecretSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Everything the daemon reads from its environment, validated once at start. Names follow the
 * earlier implementation where it had them (spec §5.1).
 *
 * @param socketGroup      group given to a socket the daemon binds itself; {@code null}: its own
 * @param requesterPrefix  stripped from a caller's user name to get its requester name
 * @param operatorGroup    members may act for any requester and see every job
 * @param trustRequester   take {@code requester} from the request (all bots share one Unix user)
 * @param maxConnections   bot connections served at once; more are answered 503 and closed
 * @param maxConnectionsPerUid bot connections one non-operator Unix user may hold; more are answered 429
 * @param hetznerReservePercent share of the Hetzner rate limit kept for the daemon's own reaps and deletes
 * @param retentionDays    how long ended jobs (and spent tokens) are kept before clf.prune deletes them
 * @param cattle           how VMs are made; {@code null} when CLF_CATTLE_ENABLED=0
 * @param limits           what one requester may ask of the queue
 * @param database         SQLite at {@code dbPath}, or the fleet's PostgreSQL
 */
public record OrchestratorConfig(
        Path dbPath,
        Path socketPath,
        String socketGroup,
        String requesterPrefix,
        String operatorGroup,
        boolean trustRequester,
        int workerConcurrency,
        Duration workerPoll,
        Duration workerLease,
        Duration workerLeaseRefresh,
        Duration shutdownGrace,
        Duration defaultTtl,
        Duration maxTtl,
        Path passwdFile,
        Path groupFile,
        int maxConnections,
        int maxConnectionsPerUid,
        int retentionDays,
        int hetznerReservePercent,
        CattleConfig cattle,
        RequesterLimits limits,
        DatabaseConfig database) {

    /** Reads and checks every variable; throws one {@link ConfigException} listing all problems. */
    public static OrchestratorConfig fromEnv(Map<String, String> env) {
        EnvReader read = new EnvReader(env);
        Path dbPath = read.absolutePath("CLF_DB_PATH", "/var/lib/clf/orchestrator/state.sqlite");
        Path socketPath = read.absolutePath("CLF_SOCKET_PATH", Protocol.DEFAULT_SOCKET_PATH);
        String socketGroup = read.string("CLF_SOCKET_GROUP", null);
        String prefix = read.string("CLF_REQUESTER_PREFIX", RequesterName.DEFAULT_PREFIX);
        String operatorGroup = read.string("CLF_OPERATOR_GROUP", "clf-admins");
        boolean trust = read.bool("CLF_TRUST_REQUESTER", false);
        int workers = read.integer("CLF_WORKER_CONCURRENCY", 2, 1, 64);
        Duration poll = read.millis("CLF_WORKER_POLL_MS", Duration.ofSeconds(1), Duration.ofMillis(10),
                Duration.ofSeconds(30));
        Duration lease = read.millis("CLF_WORKER_LEASE_MS", Duration.ofMinutes(10), Duration.ofSeconds(1),
                Duration.ofHours(1));
        Duration refresh = read.millis("CLF_WORKER_LEASE_REFRESH_MS", Duration.ofSeconds(30),
                Duration.ofMillis(100), Duration.ofMinutes(30));
        if (refresh.compareTo(lease.dividedBy(2)) > 0) {
            read.problem("CLF_WORKER_LEASE_REFRESH_MS: at most half of CLF_WORKER_LEASE_MS (" + lease.toMillis()
                    + " ms), so a lease is renewed before it runs out, got '" + refresh.toMillis() + "'");
        }
        Duration grace = read.millis("CLF_SHUTDOWN_GRACE_MS", Duration.ofSeconds(20), Duration.ZERO,
                Duration.ofMinutes(10));
        Duration maxTtl = read.parsed("CLF_CATTLE_MAX_TTL", Duration.ofHours(24),
                raw -> Ttl.parse("value", raw));
        Duration defaultTtl = read.parsed("CLF_CATTLE_DEFAULT_TTL", Duration.ofHours(2),
                raw -> Ttl.parse("value", raw));
        if (defaultTtl.compareTo(maxTtl) > 0) {
            read.problem("CLF_CATTLE_DEFAULT_TTL: at most CLF_CATTLE_MAX_TTL (" + Ttl.format(maxTtl) + "), got '"
                    + Ttl.format(defaultTtl) + "'");
        }
        Path passwd = read.absolutePath("CLF_PASSWD_FILE", "/etc/passwd");
        Path group = read.absolutePath("CLF_GROUP_FILE", "/etc/group");
        int maxConnections = read.integer("CLF_MAX_CONNECTIONS", 256, 2, 4096);
        int maxPerUid = read.integer("CLF_MAX_CONNECTIONS_PER_UID", 32, 1, 4095);
        if (maxPerUid >= maxConnections) {
            read.problem("CLF_MAX_CONNECTIONS_PER_UID: less than CLF_MAX_CONNECTIONS (" + maxConnections
                    + "), so one Unix user at its cap leaves room for the others, got '" + maxPerUid + "'");
        }
        // Prune runs with cattle disabled too (it keeps the job store small), so this is always read.
        int retentionDays = read.integer("CLF_RETENTION_DAYS", 30, 1, 3650);
        int hetznerReserve = read.integer("CLF_HETZNER_RESERVE_PERCENT", 10, 0, 90);
        CattleConfig cattle = CattleConfig.fromEnv(env, SecretSource.fromEnvironment(env), dbPath, read);
        RequesterLimits limits = RequesterLimits.fromEnv(read);
        DatabaseConfig database = DatabaseConfig.fromEnv(read);
        MetricsListen.fromEnv(read); // only checked here: the daemon reads it when it starts the listener
        if (!read.problems().isEmpty()) {
            throw new ConfigException(read.problems());
        }
        return new OrchestratorConfig(dbPath, socketPath, socketGroup, prefix, operatorGroup, trust, workers, poll,
                lease, refresh, grace, defaultTtl, maxTtl, passwd, group, maxConnections, maxPerUid, retentionDays,
                hetznerReserve, cattle, limits, database);
    }
}
