package clf.server.internal.status;

import clf.protocol.WireStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.protocol.Health;
import clf.protocol.StatusReport;
import clf.queue.JobStatus;
import clf.queue.JobStore;
import clf.queue.JobStores;
import clf.queue.NewJob;
import clf.server.internal.log.Log;
import clf.server.internal.worker.JobContext;
import clf.server.internal.worker.JobHandler;
import clf.server.internal.worker.WorkerPool;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/** Gathering a report from real parts: a store on a file, a worker pool, a bound Unix socket. */
class StatusGathererTest {
    @TempDir
    Path dir;
    final Log log = new Log(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            Clock.systemUTC());
    final AtomicBoolean accepting = new AtomicBoolean(true);
    JobStore store;
    WorkerPool pool;
    AFUNIXServerSocket botSocket;
    StatusGatherer gatherer;

    @BeforeEach
    void start() throws Exception {
        store = JobStores.openSqlite(dir.resolve("state.sqlite"));
        pool = new WorkerPool(store, List.of(new JobHandler() {
            @Override
            public String kind() {
                return "test.echo";
            }

            @Override
            public String run(JobContext context) {
                return null;
            }
        }), new WorkerPool.Settings(2, Duration.ofMillis(20), Duration.ofSeconds(5), Duration.ofSeconds(1)), log,
                "test", Clock.systemUTC());
        pool.start();
        botSocket = AFUNIXServerSocket.newInstance();
        botSocket.bind(AFUNIXSocketAddress.of(dir.resolve("bot.sock")));
        gatherer = new StatusGatherer("1.0", Clock.systemUTC(), store, "SQLite", dir.resolve("state.sqlite").toString(),
                pool, dir.resolve("bot.sock"), accepting::get,
                null, null, null, Duration.ofSeconds(2));
    }

    @AfterEach
    void stop() throws Exception {
        gatherer.close();
        pool.shutdown(Duration.ZERO);
        botSocket.close();
        store.close();
    }

    @Test
    void aWellDaemonReportsItsFiguresAndTheJobsItRan() throws Exception {
        String id = store.enqueue(NewJob.of("test.echo", "maren", "{}")).jobId();
        pool.wake();
        for (int i = 0; i < 500 && store.get(id).orElseThrow().status() != JobStatus.DONE; i++) {
            Thread.sleep(10);
        }

        StatusReport report = gatherer.gather();

        assertTrue(report.health().ok(), report.health().toString());
        assertEquals(List.of(Health.DATABASE, Health.BOT_SOCKET, Health.WORKERS),
                List.copyOf(report.health().checks().keySet()));
        assertEquals(1, report.jobs().total(WireStatus.DONE));
        assertEquals(new StatusReport.Workers(2, 2, 0, 0, List.of("test.echo")), report.workers());
        assertEquals(1, report.claimLatency().get(0).seconds().count());
        assertEquals("done", report.handlerDuration().get(0).outcome());
        assertNull(report.cattle());
        assertEquals("1.0", report.version());
        assertEquals("SQLite", report.store().engine());
        assertEquals(dir.resolve("state.sqlite").toString(), report.store().location());
        assertTrue(report.store().pingSeconds() > 0, report.store().toString());
        Map<String, Exposition.Family> metrics = Exposition.parse(PrometheusText.render(report));
        assertEquals(1, metrics.get("clf_store_info").value("engine", "SQLite", "location",
                dir.resolve("state.sqlite").toString()));
        assertEquals(report.store().pingSeconds(), metrics.get("clf_store_ping_seconds").value(), 1e-9);
    }

    @Test
    void aClosedStoreFailsTheDatabaseCheckAndItsFiguresAreLeftOut() {
        store.close();

        StatusReport report = gatherer.gather();

        assertEquals(List.of(Health.DATABASE), report.health().failed());
        String detail = report.health().checks().get(Health.DATABASE).detail();
        assertTrue(detail.startsWith("a query failed: job queue database is closed: "), detail);
        assertNull(report.jobs());
        Map<String, Exposition.Family> metrics = Exposition.parse(PrometheusText.render(report));
        assertEquals(0, metrics.get("clf_health_check_ok").value("check", Health.DATABASE));
        assertEquals(1, metrics.get("clf_health_check_ok").value("check", Health.WORKERS));
        assertTrue(!metrics.containsKey("clf_jobs"));
        assertNull(report.store().pingSeconds(), "no answer, no figure");
        assertTrue(!metrics.containsKey("clf_store_ping_seconds"));
        assertEquals(1, metrics.get("clf_store_info").value("engine", "SQLite", "location",
                dir.resolve("state.sqlite").toString()), "which store failed stays known");
    }

    @Test
    void aBotSocketWhoseAcceptLoopStoppedOrWhoseFileIsGoneFails() throws Exception {
        accepting.set(false);
        assertEquals(Health.Check.failing("the accept loop of the bot socket has stopped"),
                gatherer.health().checks().get(Health.BOT_SOCKET));

        accepting.set(true);
        Files.delete(dir.resolve("bot.sock")); // bound still, but clients can no longer find it
        Health.Check gone = gatherer.health().checks().get(Health.BOT_SOCKET);
        assertEquals(false, gone.ok());
        assertTrue(gone.detail().startsWith("cannot connect to " + dir.resolve("bot.sock")), gone.detail());
    }

    @Test
    void stoppedWorkersFailTheWorkersCheck() {
        pool.shutdown(Duration.ZERO);

        Health health = gatherer.health();

        assertEquals(List.of(Health.WORKERS), health.failed());
        assertEquals("0 of 2 alive, 0 busy, 0 past their lease", health.checks().get(Health.WORKERS).detail());
    }
}
