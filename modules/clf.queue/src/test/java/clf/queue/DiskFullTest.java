package clf.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.testing.SettableClock;
import clf.testing.Tmpfs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store on a real, small tmpfs that fills up, so SQLite meets the kernel's ENOSPC: the
 * failure is named as a full disk, nothing acknowledged is lost, reads go on, and writes work
 * again as soon as space is freed, without reopening.
 */
class DiskFullTest {
    static final long SIZE = 4 << 20;
    static final String PAYLOAD = "{\"note\":\"" + "x".repeat(400) + "\"}";

    @TempDir
    Path dir;
    SettableClock clock = new SettableClock(TestStores.T0);
    Tmpfs tmpfs;

    @AfterEach
    void unmount() throws Exception {
        if (tmpfs != null) {
            tmpfs.close();
        }
    }

    @Test
    void enqueueOnAFullDiskSaysSoAndLosesNothingAcknowledged() throws Exception {
        tmpfs = Tmpfs.mountHereOrSkip(dir.resolve("small"), SIZE);
        Path db = tmpfs.path().resolve("state.sqlite");
        List<String> acknowledged = new ArrayList<>();
        try (JobStore store = JobStores.openSqlite(db, TestStores.options(clock))) {
            tmpfs.fill(1 << 20);
            StoreException full = enqueueUntilFull(store, acknowledged);

            assertEquals(StoreException.Reason.DISK_FULL, full.reason(), full.getMessage());
            assertTrue(full.getMessage().endsWith("the disk is full"), full.getMessage());
            assertTrue(acknowledged.size() > 10, "the disk filled only after " + acknowledged.size() + " jobs");
            StoreException again = assertThrows(StoreException.class, () -> store.enqueue(job(-1)));
            assertEquals(StoreException.Reason.DISK_FULL, again.reason(), "still full, still said so");
            for (String id : acknowledged) {
                assertTrue(store.get(id).isPresent(), "reads go on while the disk is full: " + id);
            }
            assertEquals(acknowledged.size(), countJobs(store), "no refused enqueue left a job behind");

            tmpfs.unfill();
            acknowledged.add(store.enqueue(job(-2)).jobId());
            assertEquals(acknowledged.size(), countJobs(store), "enqueue works again once space is freed");
        }
        try (JobStore reopened = JobStores.openSqlite(db, TestStores.options(clock))) {
            for (String id : acknowledged) {
                assertTrue(reopened.get(id).isPresent(), "lost after reopening: " + id);
            }
        }
        assertEquals("ok", integrityCheck(db));
    }

    @Test
    void anAckOnAFullDiskFailsWithoutLosingTheJobAndSucceedsOnceSpaceIsFreed() throws Exception {
        tmpfs = Tmpfs.mountHereOrSkip(dir.resolve("small"), SIZE);
        try (JobStore store = JobStores.openSqlite(tmpfs.path().resolve("state.sqlite"), TestStores.options(clock))) {
            String id = store.enqueue(NewJob.of("test.work", "maren", "{}")).jobId();
            Job claimed = store.claimNext("w1", Set.of("test.work"), Duration.ofMinutes(1)).orElseThrow();
            tmpfs.fill(0);
            enqueueUntilFull(store, new ArrayList<>()); // whatever room SQLite's pages still had is gone too
            String result = "{\"out\":\"" + "r".repeat(64 << 10) + "\"}";

            StoreException full = assertThrows(StoreException.class, () -> store.ack(id, "w1", result));

            assertEquals(StoreException.Reason.DISK_FULL, full.reason(), full.getMessage());
            Job running = store.get(id).orElseThrow();
            assertEquals(JobStatus.RUNNING, running.status(), "the job is still the worker's");
            assertEquals("w1", running.lockedBy());
            assertEquals(claimed.attempt(), running.attempt());

            tmpfs.unfill();
            // Before the fix, the driver's finalized BEGIN statement failed every later write.
            assertEquals(Completion.DONE, store.ack(id, "w1", result), "the same ack, retried, goes through");
            assertEquals(JobStatus.DONE, store.get(id).orElseThrow().status());
            assertEquals(1, store.events(id).stream().filter(e -> e.type().equals(JobEvent.ACK)).count());
        }
    }

    @Test
    void aClaimThatCannotBeWrittenFailsEveryTimeUntilThereIsRoom() throws Exception {
        tmpfs = Tmpfs.mountHereOrSkip(dir.resolve("small"), SIZE);
        try (JobStore store = JobStores.openSqlite(tmpfs.path().resolve("state.sqlite"), TestStores.options(clock))) {
            String id = store.enqueue(NewJob.of("test.work", "maren", "{}").withMaxAttempts(3)).jobId();
            store.claimNext("w1", Set.of("test.work"), Duration.ofMinutes(1)).orElseThrow();
            tmpfs.fill(0);
            enqueueUntilFull(store, new ArrayList<>());
            clock.advance(Duration.ofMinutes(2)); // w1's lease ran out: the next claim must take the job back

            for (int i = 0; i < 3; i++) {
                // Before the fix, the second claim skipped the (rolled back) sweep and "found nothing".
                StoreException full = assertThrows(StoreException.class,
                        () -> store.claimNext("w2", Set.of("test.work"), Duration.ofMinutes(1)), "claim " + i);
                assertEquals(StoreException.Reason.DISK_FULL, full.reason());
            }
            tmpfs.unfill();

            Job retaken = store.claimNext("w2", Set.of("test.work"), Duration.ofMinutes(1)).orElseThrow();
            assertEquals(id, retaken.id());
            assertEquals(2, retaken.attempt());
        }
    }

    @Test
    void noInodeLeftForTheDatabaseFileIsAFullDisk() throws Exception {
        tmpfs = Tmpfs.mountHereOrSkip(dir.resolve("small"), SIZE, 2); // the root and one file
        Files.createFile(tmpfs.path().resolve("the-only-file"));

        StoreException full = assertThrows(StoreException.class,
                () -> JobStores.openSqlite(tmpfs.path().resolve("state.sqlite"), TestStores.options(clock)));

        assertEquals(StoreException.Reason.DISK_FULL, full.reason(), full.getMessage());
        assertTrue(full.getMessage().contains("the disk is full"), full.getMessage());
    }

    private static NewJob job(int n) {
        return NewJob.of("test.work", "maren", PAYLOAD).withIdempotencyKey("k-" + n);
    }

    /** Enqueues until the store refuses; returns the refusal, and adds each acknowledged job to {@code into}. */
    private static StoreException enqueueUntilFull(JobStore store, List<String> into) {
        for (int n = 0; n < 100_000; n++) {
            try {
                into.add(store.enqueue(job(n)).jobId());
            } catch (StoreException e) {
                return e;
            }
        }
        throw new AssertionError("100,000 enqueues fit on a " + SIZE + "-byte tmpfs");
    }

    private static int countJobs(JobStore store) {
        int count = 0;
        JobPage page = store.list(JobQuery.all().withLimit(JobQuery.MAX_LIMIT));
        while (true) {
            count += page.jobs().size();
            if (page.nextCursor() == null) {
                return count;
            }
            page = store.list(JobQuery.all().withLimit(JobQuery.MAX_LIMIT).after(page.nextCursor()));
        }
    }

    static String integrityCheck(Path db) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("PRAGMA integrity_check")) {
            r.next();
            return r.getString(1);
        }
    }
}
