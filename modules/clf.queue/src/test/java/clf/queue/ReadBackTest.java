package clf.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every field of a job reads back as it was written, through every read (get, list, id
 * prefix, claim), in each of a job's states: text beyond ASCII, NULLs and empty strings too.
 */
class ReadBackTest extends StoreFixture {
    private static final String KIND = "cattle.reap";
    private static final String PAYLOAD = "{\"note\":\"Grüße, 日本, \\\"quoted\\\" 🚀\",\"n\":[1,2.5,null]}";

    @Test
    void aJobReadsBackFieldForFieldInEveryState() {
        Instant runAt = TestStores.T0.plusMillis(1);
        String id = store.enqueue(new NewJob(KIND, "maren", PAYLOAD, "schlüssel 🚀 1", runAt, -7, 2)).jobId();
        Job queued = readEverywhere(id);
        assertEquals(new Job(id, KIND, "maren", PAYLOAD, "schlüssel 🚀 1", JobStatus.QUEUED, -7, runAt, TestStores.T0,
                TestStores.T0, 0, 2, null, null, "", null, false), queued);

        clock.advance(Duration.ofSeconds(1));
        Job claimed = store.claimNext("worker-1", Set.of(KIND), Duration.ofSeconds(30)).orElseThrow();
        Job running = readEverywhere(id);
        assertEquals(claimed, running);
        assertEquals("worker-1", running.lockedBy());
        assertEquals(clock.instant().plusSeconds(30), running.leaseUntil());
        assertEquals(1, running.attempt());

        store.fail(id, "worker-1", "kaputt: ü ✗ 🚀\nzweite Zeile");
        Job retried = readEverywhere(id);
        assertEquals(JobStatus.QUEUED, retried.status());
        assertEquals("kaputt: ü ✗ 🚀\nzweite Zeile", retried.lastError());
        assertNull(retried.lockedBy());
        assertNull(retried.leaseUntil());

        clock.advance(Duration.ofHours(1));
        store.claimNext("worker-2", Set.of(KIND), Duration.ofSeconds(30)).orElseThrow();
        store.ack(id, "worker-2", "{\"ok\":\"✓\",\"empty\":\"\"}");
        Job done = readEverywhere(id);
        assertEquals(JobStatus.DONE, done.status());
        assertEquals("{\"ok\":\"✓\",\"empty\":\"\"}", done.resultJson());
        assertEquals(2, done.attempt());
        assertFalse(done.cancelRequested());
    }

    @Test
    void noIdempotencyKeyReadsBackAsNull() {
        String id = store.enqueue(NewJob.of(KIND, "rex", "{}")).jobId();
        Job job = readEverywhere(id);
        assertNull(job.idempotencyKey());
        assertEquals("{}", job.payloadJson());
        assertEquals("", job.lastError());
    }

    /** The job as get reads it, after checking that a list and an id-prefix lookup read the same. */
    private Job readEverywhere(String id) {
        Job got = store.get(id).orElseThrow();
        assertEquals(got, store.list(JobQuery.all().forRequester(got.requester())).jobs().stream()
                .filter(job -> job.id().equals(id)).findFirst().orElseThrow());
        assertEquals(got, store.list(JobQuery.all()).jobs().stream().filter(job -> job.id().equals(id)).findFirst()
                .orElseThrow());
        assertEquals(java.util.List.of(got), store.findByIdPrefix(id.substring(0, 8), null, 10));
        return got;
    }
}
