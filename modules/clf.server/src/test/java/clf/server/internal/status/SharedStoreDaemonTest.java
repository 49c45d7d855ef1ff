package clf.server.internal.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.protocol.Health;
import clf.protocol.Protocol;
import clf.protocol.StatusReport;
import clf.queue.StoreException;
import clf.secrets.SecretSource;
import clf.server.internal.Daemon;
import clf.server.internal.config.OrchestratorConfig;
import clf.server.internal.dev.DevDaemonFixture;
import clf.testing.PostgresCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A real daemon (dev mode: the simulator, simulated VMs redeeming their tokens) whose stores are
 * in PostgreSQL: the choice is logged, the password comes from a credential file, and
 * {@code /v1/status} and {@code /metrics} name the store and say whether it answers.
 */
class SharedStoreDaemonTest extends DevDaemonFixture {
    static final String SPAWN = """
            {"protocolVersion":1,"requester":"maren","kind":"cattle.spawn",
             "payload":{"identity":"rex","ttl":"1h","task":{"schemaVersion":1,"taskId":"t-1",
             "type":"clawdbot.gateway.agent","message":"hello"}}}""";

    /**
     * Dev mode on {@code database}, then its daemon with the password in a credential file named
     * CLF_DATABASE_PASSWORD, as systemd's LoadCredential= hands it over (dev mode itself ignores
     * CREDENTIALS_DIRECTORY, so the daemon is given the source directly).
     */
    void startOn(PostgresCluster cluster, String database) throws Exception {
        Path credentials = Files.createDirectories(dir.resolve("credentials"));
        Files.writeString(credentials.resolve("CLF_DATABASE_PASSWORD"), cluster.password() + "\n");
        startDev(Map.of("CLF_DATABASE_URL", cluster.url(database), "CLF_DEV_BOOT_DELAY_MS", "100",
                "CLF_SHUTDOWN_GRACE_MS", "200"));
        daemon = Daemon.start(OrchestratorConfig.fromEnv(dev.env()), dev.env(), new SecretSource(credentials, dev.env()),
                log, clock);
        socket = dev.socketPath();
    }

    StatusReport status() throws Exception {
        SocketHttp.Response answer = SocketHttp.get(socket, Protocol.STATUS);
        return StatusReport.fromJson(answer.json());
    }

    @Test
    void aDaemonOnPostgresqlRunsASpawnAndSaysWhichStoreItUses() throws Exception {
        PostgresCluster cluster = PostgresCluster.shared();
        String database = cluster.createDatabase();
        startOn(cluster, database);

        SocketHttp.Response enqueued = SocketHttp.post(socket, Protocol.ENQUEUE, SPAWN);
        assertEquals(200, enqueued.status(), enqueued.toString());
        String jobId = (String) enqueued.json().get("jobId");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!"1".equals(cluster.psql(database, "SELECT count(*) FROM bootstrap_tokens WHERE job_id = '" + jobId
                + "' AND used_at IS NOT NULL"))) {
            assertTrue(System.nanoTime() < deadline, "the VM never redeemed its token; log:\n" + logged);
            Thread.sleep(50);
        }

        assertEquals("1", cluster.psql(database, "SELECT count(*) FROM spawn_slots WHERE job_id = '" + jobId + "'"),
                "the slot is in the shared store");
        StatusReport status = status();
        assertTrue(status.health().ok(), status.health().toString());
        assertEquals("PostgreSQL", status.store().engine());
        assertEquals("postgresql://clf@/" + database + " (socket " + cluster.socketDir() + "/.s.PGSQL.5432)",
                status.store().location());
        assertTrue(status.store().pingSeconds() > 0, status.store().toString());
        Map<String, Exposition.Family> metrics = Exposition.parse(SocketHttp.get(socket, Protocol.METRICS).body());
        assertEquals(1, metrics.get("clf_store_info").value("engine", "PostgreSQL", "location", status.store().location()));
        assertTrue(metrics.get("clf_store_ping_seconds").value() > 0);
        String log = logged.toString();
        assertTrue(log.contains("INFO store.opened engine=PostgreSQL location="), log);
        assertFalse(log.contains(cluster.password()), "the password is never logged");
    }

    @Test
    void aWrongPasswordStopsTheStartWithoutShowingIt() throws Exception {
        PostgresCluster cluster = PostgresCluster.shared();
        Map<String, String> env = new java.util.HashMap<>(Map.of("CLF_DATABASE_URL", cluster.url(cluster.createDatabase()),
                "CLF_DATABASE_PASSWORD", "not-the-password-7f3a"));
        startDev(env);

        StoreException refused = assertThrows(StoreException.class,
                () -> startDaemon(OrchestratorConfig.fromEnv(dev.env())));

        assertTrue(refused.getMessage().contains("PostgreSQL refused the login"), refused.getMessage());
        assertFalse(refused.getMessage().contains("not-the-password-7f3a"), refused.getMessage());
        assertNull(daemon);
    }

    @Test
    void aServerThatGoesAwayFailsTheDatabaseCheckWithWhy() throws Exception {
        PostgresCluster own = PostgresCluster.start(Map.of("fsync", "off"));
        boolean stopped = false;
        try {
            startOn(own, own.createDatabase());
            assertTrue(status().health().ok());

            stopped = true;
            own.close();

            StatusReport status = status();
            Health.Check database = status.health().checks().get(Health.DATABASE);
            assertFalse(database.ok(), status.health().toString());
            assertTrue(database.detail().startsWith("a query failed: "), database.detail());
            assertTrue(database.detail().contains("PostgreSQL server cannot be reached"), database.detail());
            assertEquals("PostgreSQL", status.store().engine());
            assertNull(status.store().pingSeconds());
            assertNull(status.jobs(), "no figures from a store that does not answer");
        } finally {
            if (!stopped) {
                own.close();
            }
        }
    }
}
