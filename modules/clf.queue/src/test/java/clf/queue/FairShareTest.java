package clf.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Fair share: requesters take turns at equal priority, and {@link EnqueueRules} hold in the enqueue transaction. */
class FairShareTest extends StoreFixture {
    static final Set<String> KINDS = Set.of("test.a", "test.b");
    static final Duration LEASE = Duration.ofMinutes(1);

    String enqueue(String requester) {
        return store.enqueue(NewJob.of("test.a", requester, "{}")).jobId();
    }

    String claim() {
        Job job = store.claimNext("w1", KINDS, LEASE).orElseThrow();
        store.ack(job.id(), "w1", null);
        return job.requester();
    }

    @Test
    void aBacklogOfOneRequesterDelaysAnothersJobByOneClaimAtMost() {
        for (int i = 0; i < 200; i++) {
            enqueue("alice");
        }
        assertEquals("alice", claim());
        enqueue("bob");

        List<String> next = List.of(claim(), claim());

        assertTrue(next.contains("bob"), "bob's job is among the next two claims, not after alice's 199: " + next);
    }

    @Test
    void requestersWithBacklogsTakeTurns() {
        for (int i = 0; i < 3; i++) {
            enqueue("alice");
        }
        for (int i = 0; i < 3; i++) {
            enqueue("bob");
        }
        enqueue("carol");

        List<String> order = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            order.add(claim());
        }

        assertEquals(List.of("alice", "bob", "carol", "alice", "bob", "alice", "bob"), order);
    }

    @Test
    void priorityStillComesBeforeTurns() {
        for (int i = 0; i < 3; i++) {
            enqueue("alice");
        }
        store.enqueue(NewJob.of("test.b", "bob", "{}").withPriority(-1));
        store.enqueue(NewJob.of("test.b", "carol", "{}").withPriority(1));

        assertEquals(List.of("carol", "alice", "alice", "alice", "bob"), List.of(claim(), claim(), claim(), claim(), claim()));
    }

    @Test
    void aJobEnqueuedToRunLaterTakesItsTurnWhenDueNotAtEnqueue() {
        // Were its turn given at enqueue, it would sit before every job enqueued since, and each
        // claim would walk past it (and every other waiting job) until it is due.
        String later = store.enqueue(NewJob.of("test.a", "alice", "{}").withRunAt(TestStores.T0.plusSeconds(10))).jobId();
        String first = enqueue("alice");
        String second = enqueue("alice");
        assertEquals(first, store.claimNext("w1", KINDS, LEASE).orElseThrow().id());
        clock.advance(Duration.ofSeconds(10));

        assertEquals(second, store.claimNext("w1", KINDS, LEASE).orElseThrow().id());
        assertEquals(later, store.claimNext("w1", KINDS, LEASE).orElseThrow().id());
    }

    @Test
    void aRetriedJobKeepsItsTurn() {
        Job first = store.enqueue(NewJob.of("test.a", "alice", "{}").withMaxAttempts(2)).jobId() == null ? null
                : store.claimNext("w1", KINDS, LEASE).orElseThrow();
        enqueue("alice");
        enqueue("bob");
        store.fail(first.id(), "w1", "boom");
        clock.advance(Duration.ofSeconds(5)); // the retry's backoff (TestStores.NO_JITTER)

        assertEquals(first.id(), store.claimNext("w1", KINDS, LEASE).orElseThrow().id(),
                "the retry had its turn already: it goes first");
    }

    @Test
    void theActiveLimitCountsQueuedAndRunningJobsAndDedupeHitsAreFree() {
        EnqueueRules three = new EnqueueRules(3, Long.MAX_VALUE, false);
        store.enqueue(NewJob.of("test.a", "alice", "{}").withIdempotencyKey("k1"), three);
        store.enqueue(NewJob.of("test.a", "alice", "{}"), three);
        Job running = store.claimNext("w1", KINDS, LEASE).orElseThrow();
        store.enqueue(NewJob.of("test.a", "alice", "{}"), three);

        QuotaExceededException refused = assertThrows(QuotaExceededException.class,
                () -> store.enqueue(NewJob.of("test.a", "alice", "{}"), three));
        assertEquals(QuotaExceededException.Quota.ACTIVE_JOBS, refused.quota());
        assertEquals(3, refused.limit());
        assertEquals("requester alice has 3 queued or running jobs, the most it may have (3); wait for some to end",
                refused.getMessage());
        EnqueueResult resent = store.enqueue(NewJob.of("test.a", "alice", "{}").withIdempotencyKey("k1"), three);
        assertTrue(resent.deduped(), "an idempotent re-send is answered, not refused");
        store.enqueue(NewJob.of("test.a", "bob", "{}"), three); // another requester's count
        store.enqueue(NewJob.of("test.a", "alice", "{}"), EnqueueRules.NONE); // operators: no rules

        store.ack(running.id(), "w1", null);
        assertThrows(QuotaExceededException.class, () -> store.enqueue(NewJob.of("test.a", "alice", "{}"), three),
                "the unruled job counts too: 3 queued");
        Job next = store.claimNext("w1", Set.of("test.a"), LEASE).orElseThrow();
        store.ack(next.id(), "w1", null);
        assertFalse(store.enqueue(NewJob.of("test.a", "alice", "{}"), three).deduped());
    }

    @Test
    void queuedPayloadBytesAreCappedPerRequesterAndFreedByAClaim() {
        String kib = "{\"x\":\"" + "é".repeat(500) + "\"}"; // 1,008 bytes of UTF-8
        EnqueueRules cap = new EnqueueRules(100, 2 * 1008 + 10, false);
        store.enqueue(NewJob.of("test.a", "alice", kib), cap);
        store.enqueue(NewJob.of("test.a", "alice", kib), cap);

        QuotaExceededException refused = assertThrows(QuotaExceededException.class,
                () -> store.enqueue(NewJob.of("test.a", "alice", kib), cap));
        assertEquals(QuotaExceededException.Quota.QUEUED_PAYLOAD_BYTES, refused.quota());
        assertEquals(2026, refused.limit());
        assertTrue(refused.getMessage().startsWith("requester alice has 2016 bytes of queued payload; this job's 1008"),
                refused.getMessage());

        store.claimNext("w1", KINDS, LEASE).orElseThrow();
        store.enqueue(NewJob.of("test.a", "alice", kib), cap);
    }

    @Test
    void concurrentEnqueuesNeverPassTheActiveLimitTogether() throws Exception {
        EnqueueRules five = new EnqueueRules(5, Long.MAX_VALUE, false);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                results.add(pool.submit(() -> {
                    try {
                        store.enqueue(NewJob.of("test.a", "alice", "{}"), five);
                        return true;
                    } catch (QuotaExceededException e) {
                        return false;
                    }
                }));
            }
            long stored = 0;
            for (Future<Boolean> result : results) {
                stored += result.get() ? 1 : 0;
            }
            assertEquals(5, stored);
            assertEquals(5, store.list(JobQuery.all().forRequester("alice")).jobs().size());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void oneQueuedJobOfAKindIsTheAnswerWhileItWaits() {
        EnqueueRules fold = EnqueueRules.NONE.withOnePerKindQueued(true);
        String first = store.enqueue(NewJob.of("test.a", "alice", "{\"dryRun\":false}"), fold).jobId();

        EnqueueResult again = store.enqueue(NewJob.of("test.a", "alice", "{\"dryRun\":false}"), fold);
        assertEquals(new EnqueueResult(first, true), again);
        assertFalse(store.enqueue(NewJob.of("test.a", "alice", "{\"dryRun\":true}"), fold).deduped(),
                "another payload is another job");
        assertFalse(store.enqueue(NewJob.of("test.a", "bob", "{\"dryRun\":false}"), fold).deduped(),
                "another requester's is its own");

        store.claimNext("w1", Set.of("test.a"), LEASE).orElseThrow(); // alice's first: running now
        assertFalse(store.enqueue(NewJob.of("test.a", "alice", "{\"dryRun\":false}"), fold).deduped(),
                "once it runs, the next one waits for a new run");
    }

    @Test
    void aPoisonedEnqueueFailsAloneInItsBatch() throws Exception {
        Path file = dir.resolve("state").resolve("state.sqlite");
        ExecutorService pool = Executors.newFixedThreadPool(65);
        try (Connection plug = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement lock = plug.createStatement()) {
            // Hold the write lock, so that every enqueue below waits and the next leader writes them in one batch.
            lock.execute("BEGIN IMMEDIATE");
            Future<EnqueueResult> first = pool.submit(() -> store.enqueue(NewJob.of("test.a", "first", "{}")));
            Thread.sleep(200);
            List<Future<EnqueueResult>> good = new ArrayList<>();
            for (int i = 0; i < 63; i++) {
                int n = i;
                good.add(pool.submit(() -> store.enqueue(NewJob.of("test.a", "bot" + n, "{}"))));
                if (i == 31) {
                    // Past what an epoch-ms long holds: the store's conversion overflows. HTTP refuses it earlier.
                    good.add(pool.submit(() -> store.enqueue(NewJob.of("test.a", "poison", "{}")
                            .withRunAt(java.time.Instant.parse("+999999999-12-31T23:59:59Z")))));
                }
            }
            Thread.sleep(500);
            lock.execute("COMMIT");

            first.get();
            int stored = 0;
            List<Throwable> failures = new ArrayList<>();
            for (Future<EnqueueResult> result : good) {
                try {
                    result.get();
                    stored++;
                } catch (java.util.concurrent.ExecutionException e) {
                    failures.add(e.getCause());
                }
            }
            assertEquals(63, stored, failures.size() + " failed, the first: " + (failures.isEmpty() ? "" : failures.get(0)));
            assertEquals(1, failures.size());
            InvalidInputException poisoned = assertInstanceOf(InvalidInputException.class, failures.get(0));
            assertEquals("runAt", poisoned.field());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theClaimAndTheQuotaChecksStayIndexSeeksAt200000JobsAnd1000Requesters() throws Exception {
        store.close();
        Path file = dir.resolve("state").resolve("state.sqlite");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            // A quarter queued (50 per requester), the rest ended; turns as enqueues would give them.
            s.execute("""
                    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200000)
                    INSERT INTO jobs (job_id, kind, requester, payload_json, status, priority, run_at, created_at,
                                      updated_at, attempt, max_attempts, turn, payload_bytes)
                    SELECT printf('%08x-0000-4000-8000-000000000000', i), 'test.a', 'bot' || (i % 1000), '{}',
                           CASE WHEN i % 4 = 0 THEN 'queued' ELSE 'done' END, 0, 1, 1, 1, 0, 1, i / 1000, 2
                      FROM n""");
            s.execute("INSERT INTO requester_turns SELECT 'bot' || (i % 1000), 200 FROM (SELECT seq AS i FROM jobs"
                    + " WHERE seq <= 1000)");
        }
        store = TestStores.open(dir, clock);

        assertEquals(List.of(
                "SEARCH jobs USING COVERING INDEX jobs_due (kind=?)",
                "SEARCH jobs USING INDEX jobs_by_lease (lease_until<?)",
                "SEARCH jobs USING INDEX jobs_by_idempotency_key (requester=? AND idempotency_key=?)"),
                store.explainClaim());
        assertEquals(List.of(
                "SEARCH jobs USING INDEX jobs_scheduled (run_at<?)",
                "SEARCH jobs USING COVERING INDEX jobs_active_by_requester (requester=? AND status=?)",
                "SEARCH jobs USING INDEX jobs_active_by_requester (requester=? AND status=? AND kind=?)",
                "SCAN CONSTANT ROW",
                "SCALAR SUBQUERY 1",
                "SEARCH requester_turns USING PRIMARY KEY (requester=?)",
                "SCALAR SUBQUERY 2",
                "SEARCH claim_turn USING INTEGER PRIMARY KEY (rowid=?)"),
                store.explainEnqueueRules());
        String bob = store.enqueue(NewJob.of("test.a", "bob", "{}"), new EnqueueRules(100, 4096, false)).jobId();
        assertEquals("bot4", store.claimNext("w1", KINDS, LEASE).orElseThrow().requester(), "turn 0 first");
        for (int i = 0; i < 1000; i++) {
            store.claimNext("w1", KINDS, LEASE).orElseThrow();
        }
        assertTrue(store.get(bob).orElseThrow().status() == JobStatus.RUNNING,
                "bob's job, the first of its turn, went before the 49,000 jobs enqueued later");
    }

    @Test
    void aStoreOfStepThreeIsUpgradedAndItsQueuedJobsGoFirstInTheirOldOrder() throws Exception {
        store.close();
        Path file = dir.resolve("old/state.sqlite");
        clf.queue.sqlite.Schema stepThree = new clf.queue.sqlite.Schema("job queue", JobSchema.SCHEMA.steps().subList(0, 3));
        try (clf.queue.sqlite.Database old = clf.queue.sqlite.Database.open(file, Duration.ofSeconds(1), stepThree)) {
            old.write(session -> {
                session.execute("""
                        INSERT INTO jobs (job_id, kind, requester, payload_json, status, priority, run_at,
                                          created_at, updated_at, attempt, max_attempts, locked_by, lease_until)
                        VALUES ('j-late', 'test.a', 'alice', '{"é":1}', 'queued', 0, 20, 1, 1, 0, 1, NULL, NULL),
                               ('j-early', 'test.a', 'alice', '{}', 'queued', 0, 10, 2, 2, 0, 1, NULL, NULL),
                               ('j-run', 'test.a', 'alice', '{}', 'running', 0, 10, 2, 2, 1, 1, 'w0', 9999999999999),
                               ('j-future', 'test.a', 'bob', '{}', 'queued', 0, 9999999999999, 2, 2, 0, 1, NULL, NULL)""");
                return null;
            });
        }

        store = JobStore.open(file, TestStores.options(clock));
        String fresh = store.enqueue(NewJob.of("test.a", "bob", "{}")).jobId();

        assertEquals(List.of("j-early", "j-late", fresh), List.of(store.claimNext("w1", KINDS, LEASE).orElseThrow().id(),
                store.claimNext("w1", KINDS, LEASE).orElseThrow().id(), store.claimNext("w1", KINDS, LEASE).orElseThrow().id()));
        QuotaExceededException refused = assertThrows(QuotaExceededException.class,
                () -> store.enqueue(NewJob.of("test.a", "alice", "{}"), new EnqueueRules(3, Long.MAX_VALUE, false)),
                "the upgraded jobs count: 3 running");
        assertEquals(3, refused.limit());
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             java.sql.ResultSet row = c.createStatement().executeQuery(
                     "SELECT payload_bytes FROM jobs WHERE job_id = 'j-late'")) {
            row.next();
            assertEquals(8, row.getInt(1), "payload bytes are counted for jobs stored before the step");
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             java.sql.ResultSet row = c.createStatement().executeQuery(
                     "SELECT turn FROM jobs WHERE job_id = 'j-future'")) {
            row.next();
            assertEquals(JobStore.SCHEDULED_TURN, row.getLong(1), "a job still to come gets its turn when due");
        }
    }
}
