package clf.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.protocol.InvalidInputException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClaimAndFinishTest extends StoreFixture {
    static final Set<String> SPAWN = Set.of("cattle.spawn");
    static final Duration LEASE = Duration.ofSeconds(10);

    String enqueue(NewJob job) {
        return store.enqueue(job).jobId();
    }

    String spawn() {
        return enqueue(NewJob.of("cattle.spawn", "maren", "{}"));
    }

    @Test
    void claimTakesTheJobUnderALeaseAndCountsTheAttempt() {
        String id = spawn();
        clock.advance(Duration.ofSeconds(1));

        Job job = store.claimNext("w1", SPAWN, LEASE).orElseThrow();

        assertEquals(id, job.id());
        assertEquals(JobStatus.RUNNING, job.status());
        assertEquals("w1", job.lockedBy());
        assertEquals(TestStores.T0.plusSeconds(11), job.leaseUntil());
        assertEquals(1, job.attempt());
        JobEvent claim = store.events(id).get(1);
        assertEquals(JobEvent.CLAIM, claim.type());
        assertEquals("w1", claim.message());
        assertEquals(1, claim.attempt());
        assertTrue(store.claimNext("w2", SPAWN, LEASE).isEmpty(), "one job is never given to two workers");
    }

    @Test
    void claimOrderIsPriorityThenTurnThenRunAtThenAge() {
        // Four requesters with nothing queued before: all four jobs are the first of their turn.
        String oldLow = enqueue(NewJob.of("cattle.spawn", "maren", "{}"));
        clock.advance(Duration.ofMillis(1));
        String newHigh = enqueue(NewJob.of("cattle.spawn", "ines", "{}").withPriority(5));
        clock.advance(Duration.ofMillis(1));
        String earlyRunLow = enqueue(NewJob.of("cattle.spawn", "olaf", "{}").withRunAt(TestStores.T0.minusSeconds(5)));
        clock.advance(Duration.ofMillis(1));
        String newLow = enqueue(NewJob.of("cattle.reap", "pia", "{}"));
        Set<String> both = Set.of("cattle.spawn", "cattle.reap");

        assertEquals(newHigh, store.claimNext("w", both, LEASE).orElseThrow().id());
        assertEquals(earlyRunLow, store.claimNext("w", both, LEASE).orElseThrow().id());
        assertEquals(oldLow, store.claimNext("w", both, LEASE).orElseThrow().id());
        assertEquals(newLow, store.claimNext("w", both, LEASE).orElseThrow().id());
    }

    @Test
    void claimSkipsJobsNotYetDueAndKindsTheWorkerCannotRun() {
        enqueue(NewJob.of("cattle.spawn", "maren", "{}").withRunAt(TestStores.T0.plusSeconds(30)));
        enqueue(NewJob.of("cattle.reap", "maren", "{}"));

        assertTrue(store.claimNext("w", SPAWN, LEASE).isEmpty());
        clock.advance(Duration.ofSeconds(30));
        assertTrue(store.claimNext("w", SPAWN, LEASE).isPresent());
    }

    @Test
    void ackEndsTheJobDoneWithItsResult() {
        String id = spawn();
        store.claimNext("w1", SPAWN, LEASE);
        clock.advance(Duration.ofSeconds(2));

        assertEquals(Completion.DONE, store.ack(id, "w1", "{\"server\":{\"id\":\"42\"}}"));

        Job job = store.get(id).orElseThrow();
        assertEquals(JobStatus.DONE, job.status());
        assertEquals("{\"server\":{\"id\":\"42\"}}", job.resultJson());
        assertNull(job.lockedBy());
        assertNull(job.leaseUntil());
        assertEquals(TestStores.T0.plusSeconds(2), job.updatedAt());
        assertEquals(List.of("enqueue", "claim", "ack"), types(id));
        assertEquals(List.of(0, 1, 1), store.events(id).stream().map(JobEvent::attempt).toList());
    }

    @Test
    void aWorkerThatDoesNotHoldTheJobChangesNothing() {
        String id = spawn();
        store.claimNext("w1", SPAWN, LEASE);

        assertEquals(Completion.LEASE_LOST, store.ack(id, "w2", null));
        assertEquals(Completion.LEASE_LOST, store.fail(id, "w2", "boom"));
        assertEquals(Completion.LEASE_LOST, store.release(id, "w2", "stop"));
        assertEquals(LeaseStatus.LOST, store.extendLease(id, "w2", LEASE));
        assertEquals(Completion.NOT_FOUND, store.ack("nope", "w1", null));
        assertEquals(JobStatus.RUNNING, store.get(id).orElseThrow().status());
        assertEquals(List.of("enqueue", "claim"), types(id));
    }

    @Test
    void failRetriesWithExponentialBackoffThenFailsAtMaxAttempts() {
        String id = enqueue(NewJob.of("cattle.spawn", "maren", "{}").withMaxAttempts(3));

        store.claimNext("w1", SPAWN, LEASE);
        assertEquals(Completion.RETRY_SCHEDULED, store.fail(id, "w1", "  hetzner 503  "));
        Job afterFirst = store.get(id).orElseThrow();
        assertEquals(JobStatus.QUEUED, afterFirst.status());
        assertEquals(TestStores.T0.plusSeconds(5), afterFirst.runAt());
        assertEquals("hetzner 503", afterFirst.lastError());
        assertTrue(store.claimNext("w1", SPAWN, LEASE).isEmpty(), "not before the backoff");

        clock.advance(Duration.ofSeconds(5));
        assertEquals(2, store.claimNext("w2", SPAWN, LEASE).orElseThrow().attempt());
        assertEquals(Completion.RETRY_SCHEDULED, store.fail(id, "w2", "again"));
        assertEquals(clock.instant().plusSeconds(10), store.get(id).orElseThrow().runAt());

        clock.advance(Duration.ofSeconds(10));
        store.claimNext("w3", SPAWN, LEASE);
        assertEquals(Completion.FAILED, store.fail(id, "w3", ""));

        Job failed = store.get(id).orElseThrow();
        assertEquals(JobStatus.FAILED, failed.status());
        assertEquals("unknown error", failed.lastError());
        assertEquals(3, failed.attempt());
        assertEquals(List.of("enqueue", "claim", "retry", "claim", "retry", "claim", "fail"), types(id));
    }

    @Test
    void permanentFailureSkipsRemainingAttempts() {
        String id = enqueue(NewJob.of("cattle.spawn", "maren", "{}").withMaxAttempts(3));
        store.claimNext("w1", SPAWN, LEASE);

        assertEquals(Completion.FAILED, store.failPermanently(id, "w1", "identity not found: rex"));
        assertEquals(JobStatus.FAILED, store.get(id).orElseThrow().status());
    }

    @Test
    void reclaimsJobWhoseLeaseExpired() {
        String id = enqueue(NewJob.of("cattle.spawn", "maren", "{}").withMaxAttempts(2));
        store.claimNext("w1", SPAWN, LEASE);

        clock.advance(Duration.ofSeconds(9));
        assertTrue(store.claimNext("w2", SPAWN, LEASE).isEmpty(), "the lease still holds");
        clock.advance(Duration.ofSeconds(1));
        Job reclaimed = store.claimNext("w2", SPAWN, LEASE).orElseThrow();

        assertEquals(id, reclaimed.id());
        assertEquals("w2", reclaimed.lockedBy());
        assertEquals(2, reclaimed.attempt());
        assertEquals(List.of("enqueue", "claim", "reclaim", "claim"), types(id));
        assertEquals("lease of worker w1 expired during attempt 1 of 2", store.events(id).get(2).message());
        assertEquals(Completion.LEASE_LOST, store.ack(id, "w1", null), "the old worker cannot ack any more");
    }

    @Test
    void expiredLeaseOnTheLastAttemptFailsInsteadOfLoopingForever() {
        String id = spawn();
        store.claimNext("w1", SPAWN, LEASE);
        clock.advance(LEASE);

        assertEquals(1, store.reclaimExpiredLeases());

        Job job = store.get(id).orElseThrow();
        assertEquals(JobStatus.FAILED, job.status());
        assertEquals("lease of worker w1 expired during attempt 1 of 1", job.lastError());
    }

    @Test
    void extendLeaseMovesTheDeadline() {
        String id = spawn();
        store.claimNext("w1", SPAWN, LEASE);
        clock.advance(Duration.ofSeconds(8));

        assertEquals(LeaseStatus.HELD, store.extendLease(id, "w1", LEASE));
        clock.advance(Duration.ofSeconds(8));
        assertTrue(store.claimNext("w2", SPAWN, LEASE).isEmpty());
        assertEquals(TestStores.T0.plusSeconds(18), store.get(id).orElseThrow().leaseUntil());
    }

    @Test
    void cancelOfAQueuedJobIsImmediate() {
        String id = spawn();

        CancelResult result = store.cancel(id);

        assertEquals(CancelResult.Outcome.CANCELED, result.outcome());
        assertEquals(JobStatus.CANCELED, store.get(id).orElseThrow().status());
        assertEquals(List.of(0, 0), store.events(id).stream().map(JobEvent::attempt).toList());
        assertTrue(store.claimNext("w", SPAWN, LEASE).isEmpty());
    }

    @Test
    void cancelOfARunningJobIsSeenByItsWorkerWhichEndsItCanceled() {
        String id = spawn();
        store.claimNext("w1", SPAWN, LEASE);

        assertEquals(CancelResult.Outcome.CANCEL_REQUESTED, store.cancel(id).outcome());
        assertEquals(CancelResult.Outcome.CANCEL_REQUESTED, store.cancel(id).outcome());
        assertTrue(store.get(id).orElseThrow().cancelRequested());
        assertEquals(LeaseStatus.CANCEL_REQUESTED, store.extendLease(id, "w1", LEASE));
        assertEquals(Completion.CANCELED, store.finishCanceled(id, "w1", "server 42 deleted"));

        assertEquals(JobStatus.CANCELED, store.get(id).orElseThrow().status());
        assertEquals(List.of("enqueue", "claim", "cancel-requested", "cancel"), types(id));
    }

    @Test
    void aFailingJobWithACancelRequestIsNotRetriedButLeftForTheWorkerToEndCanceled() {
        String id = enqueue(NewJob.of("cattle.spawn", "maren", "{}").withMaxAttempts(5));
        store.claimNext("w1", SPAWN, LEASE);
        store.cancel(id);

        assertEquals(Completion.CANCEL_REQUESTED, store.fail(id, "w1", "interrupted"));
        assertEquals(Completion.CANCEL_REQUESTED, store.failPermanently(id, "w1", "bad input"));
        assertEquals(Completion.CANCEL_REQUESTED, store.release(id, "w1", "shutting down"));
        assertEquals(JobStatus.RUNNING, store.get(id).orElseThrow().status());
        assertEquals(Completion.CANCELED, store.finishCanceled(id, "w1", "canceled on request"));
        assertEquals(JobStatus.CANCELED, store.get(id).orElseThrow().status());
        assertEquals("canceled on request", store.get(id).orElseThrow().lastError());
        assertEquals(List.of("enqueue", "claim", "cancel-requested", "cancel"), types(id));
    }

    @Test
    void aJobWhoseCancelWasRequestedNeverEndsDone() {
        String id = spawn();
        store.claimNext("w1", SPAWN, LEASE);
        store.cancel(id);

        // The handler returned just as the cancel came: its work must be undone, not recorded done.
        assertEquals(Completion.CANCEL_REQUESTED, store.ack(id, "w1", "{\"server\":42}"));
        Job job = store.get(id).orElseThrow();
        assertEquals(JobStatus.RUNNING, job.status());
        assertNull(job.resultJson());
        assertEquals(Completion.CANCELED, store.finishCanceled(id, "w1", ""));
        assertEquals(List.of("enqueue", "claim", "cancel-requested", "cancel"), types(id));
        assertEquals(Completion.LEASE_LOST, store.ack(id, "w1", null), "an ended job is no worker's");
    }

    @Test
    void cancelRequestedNamesTheRunningJobsOfOneProcesssWorkersOnly() {
        String mine = spawn();
        String mineToo = spawn();
        String notCanceled = spawn();
        String otherProcess = spawn();
        String queued = spawn();
        store.claimNext("host-12-0", SPAWN, LEASE);
        store.claimNext("host-12-1", SPAWN, LEASE);
        store.claimNext("host-12-2", SPAWN, LEASE);
        store.claimNext("host-123-0", SPAWN, LEASE);
        assertEquals(Set.of(), store.cancelRequested("host-12-"));

        for (String id : List.of(mine, mineToo, otherProcess, queued)) {
            store.cancel(id);
        }

        assertEquals(Set.of(mine, mineToo), store.cancelRequested("host-12-"));
        assertEquals(Set.of(otherProcess), store.cancelRequested("host-123-"));
        assertEquals(Set.of(mine, mineToo, otherProcess), store.cancelRequested("host-12"), "a prefix, not a process");
        store.finishCanceled(mine, "host-12-0", "");
        assertEquals(Set.of(mineToo), store.cancelRequested("host-12-"), "an ended job is not watched");
        assertEquals(JobStatus.RUNNING, store.get(notCanceled).orElseThrow().status());
        assertThrows(InvalidInputException.class, () -> store.cancelRequested("has space"));
    }

    @Test
    void finishCanceledWithoutARequestIsABug() {
        String id = spawn();
        store.claimNext("w1", SPAWN, LEASE);

        assertThrows(IllegalStateException.class, () -> store.finishCanceled(id, "w1", ""));
        assertEquals(JobStatus.RUNNING, store.get(id).orElseThrow().status(), "rolled back");
    }

    @Test
    void endedAndUnknownJobsAreNotCancelable() {
        String id = spawn();
        store.claimNext("w1", SPAWN, LEASE);
        store.ack(id, "w1", null);

        assertEquals(new CancelResult(CancelResult.Outcome.NOT_CANCELABLE, JobStatus.DONE), store.cancel(id));
        assertEquals(CancelResult.Outcome.NOT_FOUND, store.cancel("nope").outcome());
    }

    @Test
    void releaseGivesTheJobBackWithoutUsingAnAttempt() {
        String id = enqueue(NewJob.of("cattle.spawn", "maren", "{}").withMaxAttempts(1));
        store.claimNext("w1", SPAWN, LEASE);

        assertEquals(Completion.RELEASED, store.release(id, "w1", "shutting down"));

        Job job = store.get(id).orElseThrow();
        assertEquals(JobStatus.QUEUED, job.status());
        assertEquals(0, job.attempt());
        assertEquals(1, store.claimNext("w2", SPAWN, LEASE).orElseThrow().attempt());
        assertEquals(List.of("enqueue", "claim", "release", "claim"), types(id));
    }

    @Test
    void workerInputIsChecked() {
        assertThrows(InvalidInputException.class, () -> store.claimNext("", SPAWN, LEASE));
        assertThrows(InvalidInputException.class, () -> store.claimNext("w", Set.of(), LEASE));
        assertThrows(InvalidInputException.class, () -> store.claimNext("w", SPAWN, Duration.ofHours(2)));
        assertThrows(InvalidInputException.class, () -> store.ack("x", "w", "{not json"));
    }

    @Test
    void claimedJobSnapshotMatchesTheStoredRow() {
        String id = spawn();
        Job claimed = store.claimNext("w1", SPAWN, LEASE).orElseThrow();
        assertEquals(store.get(id).orElseThrow(), claimed);
        assertFalse(claimed.cancelRequested());
    }

    List<String> types(String id) {
        return store.events(id).stream().map(JobEvent::type).toList();
    }
}
