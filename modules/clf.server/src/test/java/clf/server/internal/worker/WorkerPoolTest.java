package clf.server.internal.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.protocol.StatusReport;
import clf.queue.Job;
import clf.queue.JobEvent;
import clf.queue.JobStatus;
import clf.queue.JobStore;
import clf.queue.JobStores;
import clf.queue.NewJob;
import clf.queue.StoreOptions;
import clf.server.internal.log.Log;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pool against a real store on a real file, with small handlers written for each case. */
class WorkerPoolTest {
    static final WorkerPool.Settings FAST = new WorkerPool.Settings(1, Duration.ofMillis(20),
            Duration.ofSeconds(2), Duration.ofMillis(50));

    @TempDir
    Path dir;
    JobStore store;
    WorkerPool pool;
    final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    final Log log = new Log(new PrintStream(logged, true, StandardCharsets.UTF_8), Clock.systemUTC());

    @BeforeEach
    void open() {
        store = JobStores.openSqlite(dir.resolve("state.sqlite"));
    }

    @AfterEach
    void close() {
        if (pool != null) {
            pool.shutdown(Duration.ZERO);
        }
        store.close();
    }

    void startPool(WorkerPool.Settings settings, JobHandler... handlers) {
        pool = new WorkerPool(store, List.of(handlers), settings, log, "test", Clock.systemUTC());
        pool.start();
    }

    String enqueue(String kind, int maxAttempts) {
        String id = store.enqueue(NewJob.of(kind, "maren", "{}").withMaxAttempts(maxAttempts)).jobId();
        if (pool != null) {
            pool.wake();
        }
        return id;
    }

    Job awaitJob(String id, Predicate<Job> condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            Job job = store.get(id).orElseThrow();
            if (condition.test(job)) {
                return job;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("job never got there: " + store.get(id).orElseThrow() + "\nlog:\n" + logged);
    }

    static JobHandler handler(String kind, ThrowingRun body) {
        return new JobHandler() {
            @Override
            public String kind() {
                return kind;
            }

            @Override
            public String run(JobContext context) throws Exception {
                return body.run(context);
            }
        };
    }

    interface ThrowingRun {
        String run(JobContext context) throws Exception;
    }

    List<String> types(String id) {
        return store.events(id).stream().map(JobEvent::type).toList();
    }

    @Test
    void runsAJobAndStoresItsResult() throws Exception {
        startPool(FAST, handler("test.echo", context -> "{\"job\":\"" + context.job().id() + "\"}"));

        String id = enqueue("test.echo", 1);

        Job done = awaitJob(id, job -> job.status() == JobStatus.DONE);
        assertEquals("{\"job\":\"" + id + "\"}", done.resultJson());
    }

    @Test
    void claimsOnlyKindsThatHaveAHandler() throws Exception {
        startPool(FAST, handler("test.echo", context -> null));
        String other = enqueue("test.other", 1);
        String echo = enqueue("test.echo", 1);

        awaitJob(echo, job -> job.status() == JobStatus.DONE);
        assertEquals(JobStatus.QUEUED, store.get(other).orElseThrow().status());
    }

    @Test
    void aFailingHandlerIsRetriedThenTheJobFails() throws Exception {
        startPool(FAST, handler("test.flaky", context -> {
            throw new IllegalStateException("hetzner said 503\nwith a second line");
        }));
        String id = store.enqueue(NewJob.of("test.flaky", "maren", "{}").withMaxAttempts(2)).jobId();
        pool.wake();

        Job retried = awaitJob(id, job -> job.attempt() == 1 && job.status() == JobStatus.QUEUED);
        assertEquals("hetzner said 503", retried.lastError(), "only the first line is stored");
    }

    @Test
    void aPermanentFailureIsNotRetried() throws Exception {
        startPool(FAST, handler("test.bad", context -> {
            throw new PermanentFailure("identity not found: rex");
        }));

        String id = enqueue("test.bad", 3);

        Job failed = awaitJob(id, job -> job.status() == JobStatus.FAILED);
        assertEquals(1, failed.attempt());
        assertEquals("identity not found: rex", failed.lastError());
    }

    @Test
    void cancelOfARunningJobReachesItsHandlerWhichEndsItCanceled() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        startPool(FAST, handler("test.slow", context -> {
            started.countDown();
            Thread.sleep(30_000); // interrupted by the cancel
            return null;
        }));
        String id = enqueue("test.slow", 1);
        assertTrue(started.await(10, TimeUnit.SECONDS));

        store.cancel(id);

        awaitJob(id, job -> job.status() == JobStatus.CANCELED);
        assertEquals(List.of("enqueue", "claim", "cancel-requested", "cancel"), types(id));
    }

    /** The production heartbeat (a lease renewal every 30 s): whatever stops a job fast, it is not that. */
    static WorkerPool.Settings slowHeartbeat(Duration poll) {
        return new WorkerPool.Settings(1, poll, Duration.ofMinutes(2), Duration.ofSeconds(30));
    }

    /** A handler that waits between checkpoints, as a spawn waits for its server, and notes when it saw the stop. */
    static JobHandler waitsForAStop(CountDownLatch started, AtomicLong stoppedAtNanos) {
        return handler("test.wait", context -> {
            started.countDown();
            try {
                while (true) {
                    context.checkpoint();
                    Thread.sleep(2_000);
                }
            } catch (JobStopped | InterruptedException e) {
                stoppedAtNanos.set(System.nanoTime());
                throw e;
            }
        });
    }

    @Test
    void aCancelThroughThisProcessReachesTheHandlerAtOnce() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        AtomicLong stoppedAt = new AtomicLong();
        // Neither the heartbeat (30 s) nor the cancel watch (every 10 s) comes in time.
        startPool(slowHeartbeat(Duration.ofSeconds(10)), waitsForAStop(started, stoppedAt));
        String id = enqueue("test.wait", 1);
        assertTrue(started.await(10, TimeUnit.SECONDS));

        long canceledAt = System.nanoTime();
        store.cancel(id);
        pool.cancelRequested(id); // what the cancel route does once the store recorded it

        Job canceled = awaitJob(id, job -> job.status() == JobStatus.CANCELED);
        long ms = TimeUnit.NANOSECONDS.toMillis(stoppedAt.get() - canceledAt);
        System.out.println("cancel-to-handler latency, this process: " + ms + " ms");
        assertTrue(stoppedAt.get() != 0 && ms < 1_000, "the handler saw the cancel after " + ms + " ms");
        assertEquals("canceled on request", canceled.lastError());
        assertEquals(List.of("enqueue", "claim", "cancel-requested", "cancel"), types(id));
    }

    @Test
    void aCancelRecordedByAnotherProcessReachesTheHandlerWithinThePollInterval() throws Exception {
        startPool(slowHeartbeat(Duration.ofMillis(200)), waitsForAStop(new CountDownLatch(0), new AtomicLong()));
        try (JobStore otherProcess = JobStores.openSqlite(dir.resolve("state.sqlite"))) {
            long slowest = 0;
            for (int round = 0; round < 5; round++) {
                CountDownLatch started = new CountDownLatch(1);
                AtomicLong stoppedAt = new AtomicLong();
                pool.shutdown(Duration.ZERO);
                startPool(slowHeartbeat(Duration.ofMillis(200)), waitsForAStop(started, stoppedAt));
                String id = enqueue("test.wait", 1);
                assertTrue(started.await(10, TimeUnit.SECONDS));

                long canceledAt = System.nanoTime();
                otherProcess.cancel(id);

                awaitJob(id, job -> job.status() == JobStatus.CANCELED);
                long ms = TimeUnit.NANOSECONDS.toMillis(stoppedAt.get() - canceledAt);
                assertTrue(stoppedAt.get() != 0 && ms < 1_000, "round " + round + ": the handler saw the cancel after "
                        + ms + " ms");
                slowest = Math.max(slowest, ms);
            }
            System.out.println("cancel-to-handler latency, another process (poll 200 ms), slowest of 5: " + slowest
                    + " ms");
        }
    }

    @Test
    void aRunThatReturnsJustAsItsCancelComesIsUndoneAndEndsCanceledNeverDone() throws Exception {
        List<String> undone = new CopyOnWriteArrayList<>();
        // The watch comes too late (10 s): the run ends before anything tells it of the cancel.
        startPool(slowHeartbeat(Duration.ofSeconds(10)), new JobHandler() {
            @Override
            public String kind() {
                return "test.make";
            }

            @Override
            public String run(JobContext context) throws Exception {
                while (!store.get(context.job().id()).orElseThrow().cancelRequested()) {
                    Thread.sleep(5);
                }
                return "{\"server\":42}"; // past its last checkpoint: it made the server anyway
            }

            @Override
            public void undoCanceled(JobContext context, String result) {
                undone.add(result);
                context.recordEvent("test.server-deleted", "server 42");
            }
        });
        String id = enqueue("test.make", 3);
        awaitJob(id, job -> job.status() == JobStatus.RUNNING);

        store.cancel(id);

        Job canceled = awaitJob(id, job -> job.status().isTerminal());
        assertEquals(JobStatus.CANCELED, canceled.status());
        assertEquals(List.of("{\"server\":42}"), undone);
        assertEquals(null, canceled.resultJson());
        assertEquals(List.of("enqueue", "claim", "cancel-requested", "test.server-deleted", "cancel"), types(id));
    }

    @Test
    void aJobCanceledAsTheDaemonStopsIsUndoneAndEndsCanceledNotReleased() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        List<String> undone = new CopyOnWriteArrayList<>();
        JobHandler waits = waitsForAStop(started, new AtomicLong());
        startPool(slowHeartbeat(Duration.ofSeconds(10)), new JobHandler() {
            @Override
            public String kind() {
                return waits.kind();
            }

            @Override
            public String run(JobContext context) throws Exception {
                return waits.run(context);
            }

            @Override
            public void undoCanceled(JobContext context, String result) {
                undone.add(String.valueOf(result));
                context.recordEvent("test.server-deleted", "server 42");
            }
        });
        String id = enqueue("test.wait", 3);
        assertTrue(started.await(10, TimeUnit.SECONDS));
        store.cancel(id); // the stop for the shutdown reaches the handler first

        pool.shutdown(Duration.ZERO);
        pool = null;

        Job canceled = store.get(id).orElseThrow();
        assertEquals(JobStatus.CANCELED, canceled.status(), types(id).toString());
        assertEquals("canceled on request", canceled.lastError());
        assertEquals(List.of("null"), undone);
        assertEquals(List.of("enqueue", "claim", "cancel-requested", "test.server-deleted", "cancel"), types(id));
    }

    @Test
    void theCancelWatchLeavesTheThreadsNextJobAlone() throws Exception {
        // A canceled job that ignores its stop and ends, then the next job on the same thread while
        // the watch (every 20 ms) may still be holding the canceled job's id.
        startPool(slowHeartbeat(Duration.ofMillis(20)), handler("test.deaf", context -> {
            while (!store.get(context.job().id()).orElseThrow().cancelRequested()) {
                Thread.onSpinWait();
            }
            return null;
        }), handler("test.steady", context -> {
            for (int i = 0; i < 30; i++) {
                context.checkpoint();
                Thread.sleep(10);
            }
            return "{}";
        }));
        String deaf = enqueue("test.deaf", 1);
        awaitJob(deaf, job -> job.status() == JobStatus.RUNNING);
        String steady = enqueue("test.steady", 1);

        store.cancel(deaf);

        assertEquals(JobStatus.CANCELED, awaitJob(deaf, job -> job.status().isTerminal()).status());
        assertEquals(JobStatus.DONE, awaitJob(steady, job -> job.status().isTerminal()).status(), types(steady).toString());
        assertEquals(List.of("enqueue", "claim", "ack"), types(steady));
    }

    @Test
    void shutdownGivesRunningJobsTheGracePeriodThenReleasesThem() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        startPool(FAST, handler("test.slow", context -> {
            started.countDown();
            while (true) {
                context.checkpoint();
                Thread.sleep(5);
            }
        }));
        String id = enqueue("test.slow", 1);
        assertTrue(started.await(10, TimeUnit.SECONDS));

        pool.shutdown(Duration.ofMillis(100));
        pool = null;

        Job released = store.get(id).orElseThrow();
        assertEquals(JobStatus.QUEUED, released.status());
        assertEquals(0, released.attempt(), "a release does not use up the attempt");
        assertEquals(List.of("enqueue", "claim", "release"), types(id));
    }

    @Test
    void jobsThatFinishWithinTheGracePeriodFinishNormally() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        startPool(FAST, handler("test.short", context -> {
            started.countDown();
            Thread.sleep(150);
            return "{\"finished\":true}";
        }));
        String id = enqueue("test.short", 1);
        assertTrue(started.await(10, TimeUnit.SECONDS));

        pool.shutdown(Duration.ofSeconds(5));
        pool = null;

        assertEquals(JobStatus.DONE, store.get(id).orElseThrow().status());
    }

    @Test
    void aWorkerThatDiesIsReplacedAndTheNextJobStillRuns() throws Exception {
        startPool(FAST,
                handler("test.fatal", context -> {
                    throw new AssertionError("a bug in a handler");
                }),
                handler("test.echo", context -> null));
        enqueue("test.fatal", 1);
        String next = enqueue("test.echo", 1);

        awaitJob(next, job -> job.status() == JobStatus.DONE);
        String text = logged.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("worker.died"), text);
        assertTrue(text.contains("worker.replaced"), text);
    }

    @Test
    void aWorkerWhoseLeaseIsTakenStopsAndDoesNotAck() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch stoppedFor = new CountDownLatch(1);
        JobContext.Stop[] reason = new JobContext.Stop[1];
        WorkerPool.Settings shortLease = new WorkerPool.Settings(1, Duration.ofMillis(20),
                Duration.ofMillis(300), Duration.ofMillis(100));
        startPool(shortLease, handler("test.slow", context -> {
            started.countDown();
            try {
                Thread.sleep(30_000);
            } catch (InterruptedException e) {
                reason[0] = context.stopReason();
                stoppedFor.countDown();
            }
            return "{}";
        }));
        String id = enqueue("test.slow", 5);
        assertTrue(started.await(10, TimeUnit.SECONDS));

        // A second process whose clock says the lease ran out (as it would after this one stalled)
        // takes the job back and claims it.
        StoreOptions later = StoreOptions.defaults().withClock(Clock.offset(Clock.systemUTC(), Duration.ofHours(1)));
        try (JobStore other = JobStores.openSqlite(dir.resolve("state.sqlite"), later)) {
            assertEquals(id, other.claimNext("other-process", Set.of("test.slow"), Duration.ofHours(1))
                    .orElseThrow().id());
        }

        assertTrue(stoppedFor.await(10, TimeUnit.SECONDS));
        assertEquals(JobContext.Stop.LEASE_LOST, reason[0]);
        Thread.sleep(200); // give a wrong ack the chance to happen
        Job job = store.get(id).orElseThrow();
        assertEquals(JobStatus.RUNNING, job.status());
        assertEquals("other-process", job.lockedBy(), "the stopped worker did not ack or release");
        assertEquals(List.of("enqueue", "claim", "reclaim", "claim"), types(id));
    }

    // ------------------------------------------------------------------ figures for health and metrics

    StatusReport.Workers awaitFigures(Predicate<StatusReport.Workers> condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        StatusReport.Workers figures = pool.figures();
        while (!condition.test(figures)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the workers never got there: " + figures + "\nlog:\n" + logged);
            }
            Thread.sleep(10);
            figures = pool.figures();
        }
        return figures;
    }

    @Test
    void aHandlerThatBlocksPastItsUnrenewedLeaseIsReportedStuckUntilItEnds() throws Exception {
        // The heartbeat comes only after an hour: nothing renews the 300 ms lease.
        CountDownLatch release = new CountDownLatch(1);
        startPool(new WorkerPool.Settings(2, Duration.ofMillis(20), Duration.ofMillis(300), Duration.ofHours(1)),
                handler("test.blocking", context -> {
                    release.await();
                    return null;
                }));
        String id = enqueue("test.blocking", 1);

        assertEquals(new StatusReport.Workers(2, 2, 1, 0, List.of("test.blocking")),
                awaitFigures(figures -> figures.busy() == 1));
        assertEquals(1, awaitFigures(figures -> figures.stuck() == 1).busy());

        // Meanwhile the other worker took the job back: its lease had run out on its one attempt.
        assertEquals(JobStatus.FAILED, awaitJob(id, job -> job.status() == JobStatus.FAILED).status());
        release.countDown();
        assertEquals(new StatusReport.Workers(2, 2, 0, 0, List.of("test.blocking")),
                awaitFigures(figures -> figures.busy() == 0));
        for (int i = 0; i < 500 && pool.timings().handlerDuration().isEmpty(); i++) {
            Thread.sleep(10); // the histogram is written just after the store
        }
        assertEquals("lease_lost", pool.timings().handlerDuration().get(0).outcome());
    }

    @Test
    void aRenewedLeaseIsNotStuckHoweverLongTheHandlerRuns() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        startPool(new WorkerPool.Settings(1, Duration.ofMillis(20), Duration.ofMillis(300), Duration.ofMillis(50)),
                handler("test.long", context -> {
                    started.countDown();
                    release.await();
                    return null;
                }));
        String id = enqueue("test.long", 1);
        assertTrue(started.await(10, TimeUnit.SECONDS));

        Thread.sleep(900); // three leases long: only renewals keep it held
        StatusReport.Workers figures = pool.figures();
        release.countDown();

        assertEquals(1, figures.busy());
        assertEquals(0, figures.stuck(), logged.toString(StandardCharsets.UTF_8));
        awaitJob(id, job -> job.status() == JobStatus.DONE);
    }

    @Test
    void stoppedWorkersAreNotAlive() {
        startPool(FAST, handler("test.echo", context -> null));
        assertEquals(1, pool.figures().alive());

        pool.shutdown(Duration.ZERO);

        assertEquals(new StatusReport.Workers(1, 0, 0, 0, List.of("test.echo")), pool.figures());
        pool = null;
    }

    @Test
    void aDeadWorkersReplacementCountsAsAlive() throws Exception {
        startPool(FAST, handler("test.fatal", context -> {
            throw new AssertionError("a bug in a handler");
        }));

        enqueue("test.fatal", 1);

        for (int i = 0; i < 500 && !logged.toString(StandardCharsets.UTF_8).contains("worker.replaced"); i++) {
            Thread.sleep(10);
        }
        assertEquals(1, awaitFigures(figures -> figures.alive() == 1).configured());
    }

    @Test
    void timingsCountEachClaimAndEachOutcomeByKind() throws Exception {
        startPool(FAST, handler("test.echo", context -> null),
                handler("test.bad", context -> {
                    throw new PermanentFailure("no");
                }),
                handler("test.idle", context -> null));

        String echo = enqueue("test.echo", 1);
        String bad = enqueue("test.bad", 1);
        awaitJob(echo, job -> job.status() == JobStatus.DONE);
        awaitJob(bad, job -> job.status() == JobStatus.FAILED);
        for (int i = 0; i < 500 && pool.timings().handlerDuration().size() < 2; i++) {
            Thread.sleep(10); // the histogram is written just after the store
        }

        List<StatusReport.Timing> claims = pool.timings().claimLatency();
        assertEquals(List.of("test.bad", "test.echo", "test.idle"), claims.stream().map(StatusReport.Timing::kind).toList());
        assertEquals(List.of(1L, 1L, 0L), claims.stream().map(t -> t.seconds().count()).toList(),
                "a kind with a handler is there before its first claim");
        List<StatusReport.Timing> runs = pool.timings().handlerDuration();
        assertEquals(List.of("test.bad/failed", "test.echo/done"),
                runs.stream().map(t -> t.kind() + "/" + t.outcome()).toList());
        assertEquals(1, runs.get(0).seconds().count());
    }
}
