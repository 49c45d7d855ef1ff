package clf.queue.internal.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import clf.protocol.InvalidInputException;
import clf.queue.EnqueueResult;
import clf.queue.NewJob;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Enqueues that wait together are written in one transaction, and one's failure is its own. */
class GroupCommitTest extends SqliteFixture {
    @Test
    void aPoisonedEnqueueFailsAloneInItsBatch() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(65);
        try (Connection plug = DriverManager.getConnection("jdbc:sqlite:" + file());
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
                            .withRunAt(Instant.parse("+999999999-12-31T23:59:59Z")))));
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
                } catch (ExecutionException e) {
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
}
