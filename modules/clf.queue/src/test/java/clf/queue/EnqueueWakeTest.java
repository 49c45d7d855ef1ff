package clf.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link JobStore#onEnqueued}: idle workers hear of a new job when it is committed, not at their next poll. */
class EnqueueWakeTest extends StoreFixture {
    /** How long a wake may take (PostgreSQL's goes through the server): a correctness deadline, with margin. */
    static final long WITHIN_MS = 1_000;
    /** How long to watch for a wake that must not come. */
    static final long QUIET_MS = 300;

    @Test
    void aNewJobWakesTheListenerAfterItIsCommitted() throws Exception {
        Semaphore wakes = new Semaphore(0);
        String[] seen = new String[1];
        try (JobStore.Subscription subscription = store.onEnqueued(() -> {
            // Committed before the wake: a woken worker finds the job.
            seen[0] = store.list(JobQuery.all()).jobs().isEmpty() ? "nothing" : "the job";
            wakes.release();
        })) {
            store.enqueue(NewJob.of("test.work", "maren", "{}"));

            assertTrue(wakes.tryAcquire(WITHIN_MS, TimeUnit.MILLISECONDS), "no wake within " + WITHIN_MS + " ms");
            assertEquals("the job", seen[0]);
        }
    }

    /** A job due later is found by the workers' polls: a wake would only cost each woken worker an empty claim. */
    @Test
    void aJobDueLaterWakesNobodyAndOneDueNowDoes() throws Exception {
        Semaphore wakes = new Semaphore(0);
        try (JobStore.Subscription subscription = store.onEnqueued(wakes::release)) {
            store.enqueue(NewJob.of("test.work", "maren", "{}").withRunAt(clock.instant().plusSeconds(60)));
            assertFalse(wakes.tryAcquire(QUIET_MS, TimeUnit.MILLISECONDS), "woken for a job due in a minute");

            store.enqueue(NewJob.of("test.work", "maren", "{}").withRunAt(clock.instant()));
            assertTrue(wakes.tryAcquire(WITHIN_MS, TimeUnit.MILLISECONDS), "no wake for a job due now");
        }
    }

    @Test
    void aDedupedEnqueueWakesNobodyAndAClosedSubscriptionHearsNothing() throws Exception {
        NewJob keyed = NewJob.of("test.work", "maren", "{}").withIdempotencyKey("k-1");
        Semaphore wakes = new Semaphore(0);
        JobStore.Subscription subscription = store.onEnqueued(wakes::release);
        store.enqueue(keyed);
        assertTrue(wakes.tryAcquire(WITHIN_MS, TimeUnit.MILLISECONDS), "no wake for the first enqueue");

        assertTrue(store.enqueue(keyed).deduped());
        assertFalse(wakes.tryAcquire(QUIET_MS, TimeUnit.MILLISECONDS), "a dedupe stored nothing new: no wake");

        subscription.close();
        store.enqueue(NewJob.of("test.work", "maren", "{}"));
        assertFalse(wakes.tryAcquire(QUIET_MS, TimeUnit.MILLISECONDS), "closed, yet woken");
    }

    @Test
    void aListenerThatThrowsNeitherFailsTheEnqueueNorSilencesTheOthers() throws Exception {
        Semaphore wakes = new Semaphore(0);
        try (JobStore.Subscription failing = store.onEnqueued(() -> {
            throw new IllegalStateException("listener bug");
        }); JobStore.Subscription working = store.onEnqueued(wakes::release)) {
            assertFalse(store.enqueue(NewJob.of("test.work", "maren", "{}")).deduped());
            assertTrue(wakes.tryAcquire(WITHIN_MS, TimeUnit.MILLISECONDS), "the second listener was not called");
        }
    }
}
