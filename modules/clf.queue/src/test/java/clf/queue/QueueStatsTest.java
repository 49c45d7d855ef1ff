package clf.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link JobStore#stats()}: the figures metrics show, and that reading them never walks the table. */
class QueueStatsTest extends StoreFixture {
    static final Set<String> KINDS = Set.of("test.a", "test.b");

    String enqueue(NewJob job) {
        return store.enqueue(job).jobId();
    }

    @Test
    void countsJobsByKindAndStatus() {
        enqueue(NewJob.of("test.b", "maren", "{}"));
        enqueue(NewJob.of("test.a", "maren", "{}"));
        enqueue(NewJob.of("test.a", "maren", "{}"));
        String canceled = enqueue(NewJob.of("test.a", "maren", "{}"));
        store.cancel(canceled);
        Job running = store.claimNext("w1", Set.of("test.b"), Duration.ofMinutes(1)).orElseThrow();
        Job done = store.claimNext("w1", Set.of("test.a"), Duration.ofMinutes(1)).orElseThrow();
        store.ack(done.id(), "w1", null);

        QueueStats stats = store.stats();

        assertEquals(List.of(
                new QueueStats.Count("test.a", JobStatus.QUEUED, 1),
                new QueueStats.Count("test.a", JobStatus.DONE, 1),
                new QueueStats.Count("test.a", JobStatus.CANCELED, 1),
                new QueueStats.Count("test.b", JobStatus.RUNNING, 1)), stats.counts());
        assertEquals(1, stats.total(JobStatus.QUEUED));
        assertEquals(1, stats.total(JobStatus.RUNNING));
        assertEquals(0, stats.total(JobStatus.FAILED));
        assertEquals(TestStores.T0, stats.at());
        assertEquals("test.b", running.kind());
    }

    @Test
    void runnableJobsAreTheQueuedOnesWhoseTimeHasCome() {
        enqueue(NewJob.of("test.a", "maren", "{}").withRunAt(TestStores.T0.plusSeconds(60)));
        clock.advance(Duration.ofSeconds(5));
        enqueue(NewJob.of("test.a", "maren", "{}"));
        clock.advance(Duration.ofSeconds(5));

        QueueStats now = store.stats();
        assertEquals(2, now.total(JobStatus.QUEUED));
        assertEquals(1, now.runnable());
        assertEquals(Optional.of(TestStores.T0.plusSeconds(5)), now.oldestRunnableSince());

        clock.advance(Duration.ofSeconds(60));
        QueueStats later = store.stats();
        assertEquals(2, later.runnable());
        assertEquals(Optional.of(TestStores.T0.plusSeconds(5)), later.oldestRunnableSince(),
                "the job due at T0+60 s became runnable after the one enqueued at T0+5 s");
    }

    @Test
    void aJobEnqueuedWithAPastRunAtBecameRunnableWhenItWasCreated() {
        clock.advance(Duration.ofSeconds(30));
        enqueue(NewJob.of("test.a", "maren", "{}").withRunAt(TestStores.T0.minusSeconds(3600)));

        QueueStats stats = store.stats();

        assertEquals(Optional.of(TestStores.T0.plusSeconds(30)), stats.oldestRunnableSince());
    }

    @Test
    void aRetryIsRunnableAgainOnlyWhenItsBackoffEnds() {
        enqueue(NewJob.of("test.a", "maren", "{}").withMaxAttempts(2));
        Job job = store.claimNext("w1", KINDS, Duration.ofMinutes(1)).orElseThrow();
        store.fail(job.id(), "w1", "boom"); // waits 5 s (TestStores.NO_JITTER)

        assertEquals(0, store.stats().runnable());
        assertEquals(Optional.empty(), store.stats().oldestRunnableSince());
        clock.advance(Duration.ofSeconds(5));
        assertEquals(1, store.stats().runnable());
        assertEquals(Optional.of(TestStores.T0.plusSeconds(5)), store.stats().oldestRunnableSince());
    }

    @Test
    void anEmptyStoreHasNothing() {
        QueueStats stats = store.stats();

        assertEquals(List.of(), stats.counts());
        assertEquals(0, stats.runnable());
        assertEquals(Optional.empty(), stats.oldestRunnableSince());
    }
}
