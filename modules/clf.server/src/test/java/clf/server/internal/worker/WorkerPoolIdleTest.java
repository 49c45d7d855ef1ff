package clf.server.internal.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.queue.JobStatus;
import clf.queue.JobStore;
import clf.queue.JobStores;
import clf.queue.NewJob;
import clf.queue.RetryPolicy;
import clf.queue.StoreOptions;
import clf.server.internal.log.Log;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Idle workers: none claims while nothing changes (the lead reads the store's change stamp once
 * per poll interval and sleeps until the next due time), the rest wait for a wake; jobs another
 * process stores still run within the poll interval, a job scheduled for later and a failed
 * job's retry run on time, and a burst of due jobs still reaches every worker. The store is
 * real; a proxy in front of it counts the claims and the stamp reads.
 */
class WorkerPoolIdleTest {
    @TempDir
    Path dir;
    JobStore real;
    JobStore store;
    final AtomicInteger claims = new AtomicInteger();
    final AtomicInteger stampReads = new AtomicInteger();
    /** Run inside a claim, after the store answered and before the worker sees the answer. */
    volatile Runnable duringClaim = () -> { };
    WorkerPool pool;
    final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    final Log log = new Log(new PrintStream(logged, true, StandardCharsets.UTF_8), Clock.systemUTC());

    @BeforeEach
    void open() {
        real = JobStores.openSqlite(dir.resolve("state.sqlite"));
        store = (JobStore) Proxy.newProxyInstance(JobStore.class.getClassLoader(), new Class<?>[] {JobStore.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("claimNext")) {
                        claims.incrementAndGet();
                    }
                    if (method.getName().equals("changeStamp")) {
                        stampReads.incrementAndGet();
                    }
                    try {
                        Object answer = method.invoke(real, args);
                        if (method.getName().equals("claimNext")) {
                            duringClaim.run();
                        }
                        return answer;
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @AfterEach
    void close() {
        if (pool != null) {
            pool.shutdown(Duration.ZERO);
        }
        real.close();
    }

    void startPool(int workers, Duration poll, JobHandler handler) {
        pool = new WorkerPool(store, List.of(handler), new WorkerPool.Settings(workers, poll, Duration.ofMinutes(2),
                Duration.ofSeconds(30)), log, "test", Clock.systemUTC());
        pool.start();
    }

    interface Run {
        String run(JobContext context) throws Exception;
    }

    static JobHandler handler(Run run) {
        return new JobHandler() {
            @Override
            public String kind() {
                return "test.work";
            }

            @Override
            public String run(JobContext context) throws Exception {
                return run.run(context);
            }
        };
    }

    @Test
    void idleWorkersMakeNoClaimWhileNothingIsCommittedAndReadOnlyTheStampEachPoll() throws Exception {
        startPool(4, Duration.ofMillis(50), handler(context -> "{}"));
        Thread.sleep(300); // every worker has made its first claim and gone idle
        int claimsBefore = claims.get();
        int stampsBefore = stampReads.get();
        Thread.sleep(2_000);
        int made = claims.get() - claimsBefore;
        int read = stampReads.get() - stampsBefore;
        // Polling claims, as before: about 40 in 2 s from the lead alone.
        assertTrue(made <= 1, "claims while idle over 2 s with 4 workers and a 50 ms poll: " + made);
        assertTrue(read >= 10 && read <= 60, "the lead reads the change stamp once a poll, alone: " + read);
    }

    @Test
    void aJobScheduledTwoSecondsAheadRunsOnTimeOnAnIdlePool() throws Exception {
        CountDownLatch ran = new CountDownLatch(1);
        long[] ranAt = new long[1];
        startPool(4, Duration.ofSeconds(1), handler(context -> {
            ranAt[0] = System.currentTimeMillis();
            ran.countDown();
            return "{}";
        }));
        Thread.sleep(300);
        Instant runAt = Instant.now().plusSeconds(2);
        String id = real.enqueue(NewJob.of("test.work", "maren", "{}").withRunAt(runAt)).jobId(); // no wake: due later
        int claimsBefore = claims.get();
        assertTrue(ran.await(10, TimeUnit.SECONDS), () -> "the scheduled job never ran: " + real.get(id).orElseThrow()
                + "\n" + logged.toString(StandardCharsets.UTF_8));
        long late = ranAt[0] - runAt.toEpochMilli();
        assertTrue(late >= 0 && late <= 1_000, "ran " + late + " ms after its runAt");
        assertTrue(claims.get() - claimsBefore <= 6, "claims while waiting 2 s: " + (claims.get() - claimsBefore));
    }

    @Test
    void aFailedJobsRetryRunsAfterItsBackoffThoughThePollIsLong() throws Exception {
        real.close();
        real = JobStores.openSqlite(dir.resolve("retry.sqlite"), new StoreOptions(Clock.systemUTC(),
                new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(1), 0), Duration.ofSeconds(10),
                RandomGenerator.getDefault()));
        AtomicInteger attempts = new AtomicInteger();
        CountDownLatch retried = new CountDownLatch(1);
        // Five minutes between polls: only the store's next due time can bring the retry.
        startPool(2, Duration.ofMinutes(5), handler(context -> {
            if (attempts.incrementAndGet() == 1) {
                throw new IllegalStateException("the first attempt fails");
            }
            retried.countDown();
            return "{}";
        }));
        Thread.sleep(300);
        long enqueued = System.nanoTime();
        real.enqueue(NewJob.of("test.work", "maren", "{}").withMaxAttempts(2));
        pool.wake();
        assertTrue(retried.await(10, TimeUnit.SECONDS), "the retry never ran: " + attempts.get()
                + " attempt(s)\n" + logged.toString(StandardCharsets.UTF_8));
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - enqueued);
        assertTrue(tookMs >= 1_000 && tookMs <= 3_000, "the retry (1 s backoff) ran after " + tookMs + " ms");
    }

    @Test
    void aJobStoredByAnotherProcessRunsWithinThePollIntervalThoughNothingWakesTheWorkers() throws Exception {
        CountDownLatch ran = new CountDownLatch(1);
        startPool(4, Duration.ofMillis(100), handler(context -> {
            ran.countDown();
            return "{}";
        }));
        Thread.sleep(300);
        String id = real.enqueue(NewJob.of("test.work", "maren", "{}")).jobId(); // no wake: as another process would
        assertTrue(ran.await(5, TimeUnit.SECONDS), "the job never ran");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (real.get(id).orElseThrow().status() != JobStatus.DONE && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(JobStatus.DONE, real.get(id).orElseThrow().status());
    }

    @Test
    void aWakeThatComesWhileTheOnlyWorkerIsClaimingIsNotLost() throws Exception {
        CountDownLatch ran = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        // The worker's first claim finds nothing; the job and its wake come before it idles.
        duringClaim = () -> {
            if (calls.incrementAndGet() == 1) {
                real.enqueue(NewJob.of("test.work", "maren", "{}"));
                pool.wake();
            }
        };
        startPool(1, Duration.ofMinutes(5), handler(context -> {
            ran.countDown();
            return "{}";
        }));
        assertTrue(ran.await(5, TimeUnit.SECONDS), "the job waited for the next poll: the wake was lost");
    }

    @Test
    void aBurstOfDueJobsReachesEveryWorkerAfterOneWake() throws Exception {
        CountDownLatch allRunning = new CountDownLatch(4);
        CountDownLatch release = new CountDownLatch(1);
        // A poll far longer than the test: only wakes can start the workers.
        startPool(4, Duration.ofMinutes(5), handler(context -> {
            allRunning.countDown();
            release.await(10, TimeUnit.SECONDS);
            return "{}";
        }));
        Thread.sleep(300);
        for (int i = 0; i < 4; i++) {
            real.enqueue(NewJob.of("test.work", "maren", "{}"));
        }
        pool.wake(); // one wake, as one enqueue request gives
        try {
            assertTrue(allRunning.await(5, TimeUnit.SECONDS), "running at once: " + (4 - allRunning.getCount()) + " of 4");
        } finally {
            release.countDown();
        }
    }
}
