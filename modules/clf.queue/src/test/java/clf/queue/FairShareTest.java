package clf.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.testing.Race;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

    /**
     * Three stores on one queue (three hosts' daemons on PostgreSQL, three processes' on SQLite),
     * sending at once: the limit and the fold into a queued twin hold across all of them.
     */
    @Test
    void storesEnqueuingTogetherHoldTheRulesTogether() throws Exception {
        EnqueueRules five = new EnqueueRules(5, Long.MAX_VALUE, false);
        EnqueueRules fold = EnqueueRules.NONE.withOnePerKindQueued(true);
        List<JobStore> hosts = List.of(engine.open(dir, TestStores.options(clock)),
                engine.open(dir, TestStores.options(clock)), engine.open(dir, TestStores.options(clock)));
        try {
            Map<String, Integer> limited = Race.count(24, i -> {
                try {
                    hosts.get(i % 3).enqueue(NewJob.of("test.a", "alice", "{}"), five);
                    return "stored";
                } catch (QuotaExceededException e) {
                    return "refused";
                }
            });
            Map<String, Integer> folded = Race.count(24, i ->
                    hosts.get(i % 3).enqueue(NewJob.of("cattle.reap", "bob", "{}"), fold).deduped() ? "folded" : "stored");

            assertEquals(Map.of("stored", 5, "refused", 19), limited);
            assertEquals(Map.of("stored", 1, "folded", 23), folded);
        } finally {
            hosts.forEach(JobStore::close);
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
}
