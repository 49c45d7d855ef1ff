package clf.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import clf.queue.JobStatus;
import clf.queue.JobStore;
import clf.queue.JobStores;
import clf.queue.NewJob;
import clf.queue.StoreOptions;
import clf.queue.postgres.PostgresAddress;
import clf.queue.postgres.PostgresDatabase;
import clf.server.internal.config.OrchestratorConfig;
import clf.server.internal.log.Log;
import clf.testing.PostgresCluster;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet's wake-up: a daemon on PostgreSQL whose workers are idle, with a poll far longer than
 * the test, claims a job another host enqueued at once (the store's NOTIFY, wired to its workers).
 */
class SharedStoreWakeTest {
    @TempDir
    Path dir;

    @Test
    void anIdleDaemonRunsAJobAnotherHostEnqueuedWithoutWaitingForItsPoll() throws Exception {
        PostgresCluster cluster = PostgresCluster.shared();
        String url = cluster.url(cluster.createDatabase());
        Map<String, String> env = Map.of(
                "CLF_DB_PATH", dir.resolve("state/state.sqlite").toString(),
                "CLF_SOCKET_PATH", dir.resolve("run/bot.sock").toString(),
                "CLF_CATTLE_ENABLED", "0",
                "CLF_SHUTDOWN_GRACE_MS", "100",
                "CLF_WORKER_POLL_MS", "30000",
                "CLF_DATABASE_URL", url,
                "CLF_DATABASE_PASSWORD", cluster.password());
        ByteArrayOutputStream logged = new ByteArrayOutputStream();
        Log log = new Log(new PrintStream(logged, true, StandardCharsets.UTF_8), Clock.systemUTC());
        try (Daemon daemon = Daemon.start(OrchestratorConfig.fromEnv(env), env, log, Clock.systemUTC());
             PostgresDatabase otherHost = PostgresDatabase.open(PostgresAddress.parse("CLF_DATABASE_URL", url),
                     cluster.password(), 2, Duration.ofSeconds(10));
             JobStore store = JobStores.openPostgres(otherHost, StoreOptions.defaults())) {
            Thread.sleep(1_000); // the workers' first look found nothing: they wait for a wake or their 30 s poll

            String id = store.enqueue(NewJob.of("clf.prune", "other-host", "{}")).jobId();

            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (store.get(id).orElseThrow().status() != JobStatus.DONE && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(JobStatus.DONE, store.get(id).orElseThrow().status(),
                    "done within 10 s, a third of the poll; log:\n" + logged);
        }
    }
}
