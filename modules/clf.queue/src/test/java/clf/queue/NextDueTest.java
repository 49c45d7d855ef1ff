package clf.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link JobStore#nextDue} and {@link JobStore#changeStamp}: what an idle worker sleeps until, and
 * how it tells that something was committed while it slept.
 */
class NextDueTest extends StoreFixture {
    static final Set<String> KINDS = Set.of("test.work");

    @Test
    void theEarliestLaterJobOrLeaseEndIsNextAndJobsDueNowAreNot() {
        assertEquals(Optional.empty(), store.nextDue(), "an empty store");

        store.enqueue(NewJob.of("test.work", "maren", "{}")); // due now: a claim finds it
        assertEquals(Optional.empty(), store.nextDue());

        Instant inAMinute = clock.instant().plusSeconds(60);
        Instant inTwo = clock.instant().plusSeconds(120);
        store.enqueue(NewJob.of("test.work", "maren", "{}").withRunAt(inTwo));
        store.enqueue(NewJob.of("other.kind", "maren", "{}").withRunAt(inAMinute)); // any kind: a wake costs one claim
        assertEquals(Optional.of(inAMinute), store.nextDue());

        Job claimed = store.claimNext("w-1", KINDS, Duration.ofSeconds(30)).orElseThrow();
        assertEquals(Optional.of(claimed.leaseUntil()), store.nextDue(), "the running job's lease ends first");
        clock.advance(Duration.ofSeconds(61));
        assertEquals(Optional.of(claimed.leaseUntil()), store.nextDue(),
                "a lease that ran out stays next until it is taken back; a job due already is not");
        store.reclaimExpiredLeases();
        assertEquals(Optional.of(inTwo), store.nextDue());
    }

    @Test
    void aFailedJobIsNextWhenItsBackoffEnds() {
        store.enqueue(NewJob.of("test.work", "maren", "{}").withMaxAttempts(2));
        Job claimed = store.claimNext("w-1", KINDS, Duration.ofSeconds(30)).orElseThrow();
        store.fail(claimed.id(), "w-1", "once");
        Instant retryAt = store.get(claimed.id()).orElseThrow().runAt();
        assertTrue(retryAt.isAfter(clock.instant()), "retried later: " + retryAt);
        assertEquals(Optional.of(retryAt), store.nextDue());
    }

    @Test
    void theChangeStampMovesWithEveryCommitWhereTheEngineCanTell() {
        OptionalLong before = store.changeStamp();
        if (engine == StoreEngine.POSTGRESQL) {
            assertEquals(OptionalLong.empty(), before, "PostgreSQL cannot tell cheaply: workers claim each poll");
            return;
        }
        assertEquals(before, store.changeStamp(), "nothing committed");
        store.enqueue(NewJob.of("test.work", "maren", "{}").withRunAt(clock.instant().plusSeconds(60)));
        OptionalLong after = store.changeStamp();
        assertNotEquals(before, after, "a job due later is a commit too");
        assertEquals(after, store.changeStamp());
    }
}
