package clf.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.protocol.InvalidInputException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class EnqueueTest extends StoreFixture {
    @Test
    void storesQueuedJobWithAllFieldsAndAnEnqueueEvent() {
        NewJob request = NewJob.of("cattle.spawn", "maren", "{\"identity\":\"rex\"}")
                .withIdempotencyKey("msg-1").withPriority(7).withMaxAttempts(3)
                .withRunAt(TestStores.T0.plusSeconds(60));

        EnqueueResult result = store.enqueue(request);

        assertFalse(result.deduped());
        Job job = store.get(result.jobId()).orElseThrow();
        assertEquals("cattle.spawn", job.kind());
        assertEquals("maren", job.requester());
        assertEquals("{\"identity\":\"rex\"}", job.payloadJson());
        assertEquals("msg-1", job.idempotencyKey());
        assertEquals(JobStatus.QUEUED, job.status());
        assertEquals(7, job.priority());
        assertEquals(TestStores.T0.plusSeconds(60), job.runAt());
        assertEquals(TestStores.T0, job.createdAt());
        assertEquals(TestStores.T0, job.updatedAt());
        assertEquals(0, job.attempt());
        assertEquals(3, job.maxAttempts());
        assertNull(job.lockedBy());
        assertNull(job.leaseUntil());
        assertEquals("", job.lastError());
        assertNull(job.resultJson());
        assertFalse(job.cancelRequested());
        List<JobEvent> events = store.events(result.jobId());
        assertEquals(1, events.size());
        assertEquals(JobEvent.ENQUEUE, events.get(0).type());
        assertEquals(0, events.get(0).attempt());
        assertEquals(TestStores.T0, events.get(0).at());
    }

    @Test
    void sameRequesterAndKeyReturnsTheExistingJobUntouched() {
        EnqueueResult first = store.enqueue(NewJob.of("cattle.reap", "maren", "{}").withIdempotencyKey("k"));
        EnqueueResult second = store.enqueue(NewJob.of("cattle.spawn", "maren", "{\"x\":1}").withIdempotencyKey("k"));

        assertEquals(first.jobId(), second.jobId());
        assertTrue(second.deduped());
        assertEquals("cattle.reap", store.get(first.jobId()).orElseThrow().kind());
        assertEquals(1, store.list(JobQuery.all()).jobs().size());
        assertEquals(1, store.events(first.jobId()).size(), "a dedupe writes no event");
    }

    @Test
    void keysAreScopedPerRequester() {
        EnqueueResult maren = store.enqueue(NewJob.of("cattle.reap", "maren", "{}").withIdempotencyKey("k"));
        EnqueueResult rex = store.enqueue(NewJob.of("cattle.reap", "rex", "{}").withIdempotencyKey("k"));

        assertNotEquals(maren.jobId(), rex.jobId());
        assertFalse(rex.deduped());
    }

    @Test
    void jobsWithoutKeyAreNeverDeduped() {
        EnqueueResult a = store.enqueue(NewJob.of("cattle.reap", "maren", "{}"));
        EnqueueResult b = store.enqueue(NewJob.of("cattle.reap", "maren", "{}").withIdempotencyKey(""));

        assertNotEquals(a.jobId(), b.jobId());
        assertNull(store.get(b.jobId()).orElseThrow().idempotencyKey());
    }

    @Test
    void thirtyTwoThreadsRacingWithOneKeyMakeOneJob() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(32);
        CountDownLatch start = new CountDownLatch(1);
        Set<String> ids = ConcurrentHashMap.newKeySet();
        try {
            List<Future<EnqueueResult>> results = new java.util.ArrayList<>();
            for (int i = 0; i < 32; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return store.enqueue(NewJob.of("cattle.spawn", "maren", "{}").withIdempotencyKey("race"));
                }));
            }
            start.countDown();
            int fresh = 0;
            for (Future<EnqueueResult> result : results) {
                EnqueueResult r = result.get();
                ids.add(r.jobId());
                fresh += r.deduped() ? 0 : 1;
            }
            assertEquals(1, ids.size());
            assertEquals(1, fresh);
            assertEquals(1, store.list(JobQuery.all()).jobs().size());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void invalidInputNamesTheFieldAndTheExpectation() {
        assertMessage("requester: 1–64 chars of [a-z0-9._-], got ''",
                () -> NewJob.of("cattle.spawn", "", "{}"));
        assertMessage("requester: 1–64 chars of [a-z0-9._-], got 'Maren!'",
                () -> NewJob.of("cattle.spawn", "Maren!", "{}"));
        assertMessage("kind: dot-separated words of [a-z0-9_-], starting with a letter, up to 64 chars, got 'Cattle Spawn'",
                () -> NewJob.of("Cattle Spawn", "maren", "{}"));
        assertStartsWith("payload: one JSON value, got ",
                () -> NewJob.of("cattle.spawn", "maren", "{\"a\":"));
        assertMessage("payload: one JSON value, got 'more text after the value'",
                () -> NewJob.of("cattle.spawn", "maren", "{} {}"));
        assertMessage("payload: one JSON value, got 'empty text'",
                () -> NewJob.of("cattle.spawn", "maren", "  "));
        assertMessage("maxAttempts: 1–100, got 0",
                () -> NewJob.of("cattle.spawn", "maren", "{}").withMaxAttempts(0));
        assertStartsWith("idempotencyKey: up to 200 printable chars",
                () -> NewJob.of("cattle.spawn", "maren", "{}").withIdempotencyKey("k".repeat(201)));
        assertStartsWith("idempotencyKey: up to 200 printable chars",
                () -> NewJob.of("cattle.spawn", "maren", "{}").withIdempotencyKey("a\nb"));
        assertMessage("status: one of queued|running|done|failed|canceled, got 'finished'",
                () -> JobStatus.parse("status", "finished"));
    }

    @Test
    void oversizedPayloadIsRefused() {
        String big = "\"" + "x".repeat(NewJob.MAX_PAYLOAD_BYTES) + "\"";
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> NewJob.of("cattle.spawn", "maren", big));
        assertEquals("payload", e.field());
    }

    @Test
    void storedDataSurvivesReopening() {
        String id = store.enqueue(NewJob.of("cattle.reap", "maren", "{\"dryRun\":true}")).jobId();
        reopen();

        assertEquals("{\"dryRun\":true}", store.get(id).orElseThrow().payloadJson());
    }

    @Test
    void unknownJobIsEmpty() {
        assertTrue(store.get("no-such-job").isEmpty());
        assertTrue(store.events("no-such-job").isEmpty());
        assertFalse(store.recordEvent("no-such-job", "cattle.env-fetched", ""));
    }

    @Test
    void handlersCanAddTheirOwnEvents() {
        String id = store.enqueue(NewJob.of("cattle.spawn", "maren", "{}")).jobId();
        clock.advance(Duration.ofSeconds(3));

        assertTrue(store.recordEvent(id, "cattle.env-fetched", "from 100.64.0.7"));

        JobEvent last = store.events(id).get(1);
        assertEquals("cattle.env-fetched", last.type());
        assertEquals("from 100.64.0.7", last.message());
        assertEquals(TestStores.T0.plusSeconds(3), last.at());
        assertThrows(InvalidInputException.class, () -> store.recordEvent(id, "Bad Type", ""));
    }

    static void assertMessage(String expected, Runnable action) {
        InvalidInputException e = assertThrows(InvalidInputException.class, action::run);
        assertEquals(expected, e.getMessage());
    }

    static void assertStartsWith(String prefix, Runnable action) {
        InvalidInputException e = assertThrows(InvalidInputException.class, action::run);
        assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
    }
}
