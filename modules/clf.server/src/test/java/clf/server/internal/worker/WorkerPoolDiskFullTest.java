package clf.server.internal.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.queue.Job;
import clf.queue.JobEvent;
import clf.queue.JobStatus;
import clf.queue.JobStore;
import clf.queue.JobStores;
import clf.queue.NewJob;
import clf.queue.StoreException;
import clf.server.internal.log.Log;
import clf.testing.Tmpfs;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pool on a store whose disk is really full (a small tmpfs): workers neither spin nor fill
 * the log, and a job that finishes while nothing can be written is neither lost nor run twice
 * at once; it runs again after its lease, once there is room.
 */
class WorkerPoolDiskFullTest {
    static final WorkerPool.Settings FAST = new WorkerPool.Settings(2, Duration.ofMillis(20),
            Duration.ofSeconds(2), Duration.ofMillis(50));

    @TempDir
    Path dir;
    Tmpfs tmpfs;
    JobStore store;
    WorkerPool pool;
    final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    final Log log = new Log(new PrintStream(logged, true, StandardCharsets.UTF_8), Clock.systemUTC());

    @BeforeEach
    void open() throws Exception {
        tmpfs = Tmpfs.mountHereOrSkip(dir.resolve("small"), 4 << 20);
        store = JobStores.openSqlite(tmpfs.path().resolve("state.sqlite"));
    }

    @AfterEach
    void close() throws Exception {
        if (pool != null) {
            pool.shutdown(Duration.ZERO);
        }
        if (store != null) {
            store.close();
        }
        tmpfs.close();
    }

    /** Fills the disk, then whatever room the database file still had. */
    void fillTheDisk() throws Exception {
        tmpfs.fill(0);
        for (int i = 0; i < 100_000; i++) {
            try {
                store.enqueue(NewJob.of("test.filler", "maren", "{}").withRunAt(Instant.parse("2099-01-01T00:00:00Z")));
            } catch (StoreException e) {
                assertEquals(StoreException.Reason.DISK_FULL, e.reason(), e.getMessage());
                return;
            }
        }
        throw new AssertionError("the disk never filled");
    }

    long lines(String event) {
        return logged.toString(StandardCharsets.UTF_8).lines().filter(line -> line.contains(" " + event + " ")).count();
    }

    Job awaitJob(String id, Predicate<Job> condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            Job job = store.get(id).orElseThrow();
            if (condition.test(job)) {
                return job;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("job never got there: " + store.get(id).orElseThrow() + "\nlog:\n" + logged);
    }

    @Test
    void claimsThatFailOnAFullDiskBackOffAndAreLoggedOnceUntilTheyWorkAgain() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        String id = store.enqueue(NewJob.of("test.echo", "maren", "{}")
                .withRunAt(Instant.now().plusMillis(300))).jobId();
        fillTheDisk();
        pool = new WorkerPool(store, List.of(WorkerPoolTest.handler("test.echo", context -> {
            runs.incrementAndGet();
            return null;
        })), FAST, log, "full", Clock.systemUTC());
        pool.start();

        Thread.sleep(2_000); // due after 0.3 s: ~85 claim attempts per worker at a 20 ms poll without back-off
        assertEquals(JobStatus.QUEUED, store.get(id).orElseThrow().status(), logged.toString(StandardCharsets.UTF_8));
        long failedLines = lines("worker.claim-failed");
        assertEquals(1, failedLines, "one line for the outage, not one per poll:\n" + logged);
        tmpfs.unfill();

        awaitJob(id, job -> job.status() == JobStatus.DONE);
        assertEquals(1, runs.get());
        assertEquals(1, lines("worker.claim-recovered"), logged.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aJobThatFinishesWhileTheDiskIsFullRunsAgainAfterItsLeaseAndIsDoneOnce() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        AtomicInteger runs = new AtomicInteger();
        pool = new WorkerPool(store, List.of(WorkerPoolTest.handler("test.work", context -> {
            mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
            runs.incrementAndGet();
            started.countDown();
            try {
                finish.await();
                return "{\"run\":" + runs.get() + "}";
            } finally {
                running.decrementAndGet();
            }
        })), FAST, log, "full", Clock.systemUTC());
        pool.start();
        String id = store.enqueue(NewJob.of("test.work", "maren", "{}").withMaxAttempts(3)).jobId();
        pool.wake();
        assertTrue(started.await(10, TimeUnit.SECONDS));

        fillTheDisk();
        Thread.sleep(500); // heartbeats fail meanwhile, every 50 ms
        finish.countDown();
        Thread.sleep(500); // the ack fails: nothing can be written
        Job stuck = store.get(id).orElseThrow();
        assertEquals(JobStatus.RUNNING, stuck.status(), "not lost, not done twice: the worker still holds it");
        assertEquals(1, lines("job.finish-failed"), logged.toString(StandardCharsets.UTF_8));
        assertEquals(1, lines("worker.heartbeat-failed"), "one line for the outage:\n" + logged);
        tmpfs.unfill();

        Job done = awaitJob(id, job -> job.status() == JobStatus.DONE);
        assertEquals(2, done.attempt(), "run again after the lease ran out");
        assertEquals("{\"run\":2}", done.resultJson());
        assertEquals(1, mostAtOnce.get(), "never run twice at once");
        assertEquals(List.of("enqueue", "claim", "reclaim", "claim", "ack"),
                store.events(id).stream().map(JobEvent::type).toList());
    }
}
