package clf.queue.internal.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.queue.Job;
import clf.queue.JobStore;
import clf.queue.NewJob;
import clf.queue.StoreEngine;
import clf.queue.StoreOptions;
import clf.queue.TestStores;
import clf.queue.postgres.PostgresDatabase;
import clf.testing.SettableClock;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What only a shared store has: other hosts. Each {@link JobStore} here is one host's (its own
 * connections to the one database): a job enqueued on one wakes the others, a dropped listening
 * connection comes back, and a claim passes over a job another host is taking instead of waiting.
 */
class FleetStoreTest {
    static final long WITHIN_MS = 1_000;
    static final Set<String> KINDS = Set.of("test.work");

    @TempDir
    Path dir;
    StoreOptions options = TestStores.options(new SettableClock(TestStores.T0));
    JobStore here;
    JobStore there;

    @BeforeEach
    void open() {
        here = StoreEngine.POSTGRESQL.open(dir, options);
        there = StoreEngine.POSTGRESQL.open(dir, options);
    }

    @AfterEach
    void close() {
        here.close();
        there.close();
    }

    @Test
    void aJobEnqueuedOnAnotherHostWakesThisOne() throws Exception {
        Semaphore wakes = new Semaphore(0);
        try (JobStore.Subscription subscription = here.onEnqueued(wakes::release)) {
            String id = there.enqueue(NewJob.of("test.work", "maren", "{}")).jobId();

            assertTrue(wakes.tryAcquire(WITHIN_MS, TimeUnit.MILLISECONDS), "no wake within " + WITHIN_MS + " ms");
            assertEquals(id, here.claimNext("w-here", KINDS, Duration.ofMinutes(1)).orElseThrow().id());
        }
    }

    @Test
    void aDroppedListeningConnectionIsOpenedAgainAndWakesOnceForWhatItMissed() throws Exception {
        Semaphore wakes = new Semaphore(0);
        try (JobStore.Subscription subscription = here.onEnqueued(wakes::release)) {
            awaitListening();
            // The server ends the listening session, as a restart or a network cut would.
            assertEquals(1, sql("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                    + " WHERE query = 'LISTEN " + Enqueues.CHANNEL + "'"));

            assertTrue(wakes.tryAcquire(Wakeups.MAX_BACKOFF_MS, TimeUnit.MILLISECONDS), "no wake after reconnecting");
            awaitListening();
            there.enqueue(NewJob.of("test.work", "maren", "{}"));
            assertTrue(wakes.tryAcquire(WITHIN_MS, TimeUnit.MILLISECONDS), "deaf after reconnecting");
        }
    }

    @Test
    void aClaimPassesOverAJobAnotherHostHoldsLockedInsteadOfWaiting() throws Exception {
        String first = here.enqueue(NewJob.of("test.work", "maren", "{}")).jobId();
        String second = here.enqueue(NewJob.of("test.work", "maren", "{}")).jobId();
        try (PostgresDatabase database = StoreEngine.database(dir, 1, Duration.ofSeconds(10));
                Connection otherHost = database.openDedicated()) {
            // Another host in the middle of claiming the first job: its row locked, not yet committed.
            otherHost.setAutoCommit(false);
            try (PreparedStatement lock = otherHost.prepareStatement("SELECT seq FROM jobs WHERE job_id = ? FOR UPDATE")) {
                lock.setString(1, first);
                lock.executeQuery().close();
            }
            long start = System.nanoTime();
            Job claimed = here.claimNext("w-here", KINDS, Duration.ofMinutes(1)).orElseThrow();
            long tookMs = (System.nanoTime() - start) / 1_000_000;

            assertEquals(second, claimed.id(), "the locked job is skipped, the next one taken");
            // Without SKIP LOCKED the claim would wait for that lock: lock_timeout (10 s) at least.
            assertTrue(tookMs < 5_000, "the claim waited " + tookMs + " ms for another host's lock");
            otherHost.rollback();
        }
        assertEquals(first, there.claimNext("w-there", KINDS, Duration.ofMinutes(1)).orElseThrow().id());
        assertNotEquals(first, second);
    }

    /** Waits until a store's listening thread is in LISTEN, so a test's NOTIFY cannot come before it. */
    private void awaitListening() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (sql("SELECT count(*) FROM pg_stat_activity WHERE query = 'LISTEN " + Enqueues.CHANNEL
                + "' AND datname = current_database()") < 1) {
            assertTrue(System.nanoTime() < deadline, "the store never started listening");
            Thread.sleep(20);
        }
    }

    private long sql(String query) throws Exception {
        try (PostgresDatabase database = StoreEngine.database(dir, 1, Duration.ofSeconds(10));
                Connection connection = database.openDedicated();
                ResultSet rows = connection.createStatement().executeQuery(query)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
