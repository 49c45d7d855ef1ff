package clf.server.internal.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.protocol.Health;
import clf.queue.StoreException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The database check's timeout, with queries written to hang or fail. */
class DatabaseProbeTest {
    @Test
    void theQueryTimeReadsAsFormatWouldWriteItWithOneDecimal() {
        for (long nanos : new long[] {0, 49_999, 50_000, 450_000, 949_999, 950_000, 1_250_000, 12_345_678, 999_950_000L}) {
            assertEquals(String.format(java.util.Locale.ROOT, "%.1f", nanos / 1e6), DatabaseProbe.tenths(nanos / 100_000.0),
                    nanos + " ns");
        }
    }

    @Test
    void aQueryThatHangsFailsTheCheckAndLaterChecksWaitOnItInsteadOfQueueingMore() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger queries = new AtomicInteger();
        try (DatabaseProbe probe = new DatabaseProbe(() -> {
            queries.incrementAndGet();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, Duration.ofMillis(100))) {
            Health.Check first = probe.check();
            Health.Check second = probe.check();

            assertFalse(first.ok());
            assertEquals("a query got no answer within 100 ms", first.detail());
            assertFalse(second.ok());
            assertEquals(1, queries.get(), "the second check waited on the first query");

            release.countDown();
            Health.Check recovered = probe.check();
            for (int i = 0; i < 100 && !recovered.ok(); i++) {
                recovered = probe.check(); // the hung query may still be returning
            }
            assertTrue(recovered.ok(), recovered.detail());
            assertTrue(recovered.detail().matches("a query answered in \\d+\\.\\d ms"), recovered.detail());
        }
    }

    @Test
    void aQueryThatFailsSaysWhy() {
        try (DatabaseProbe probe = new DatabaseProbe(() -> {
            throw new StoreException("failed to read from /x/state.sqlite: the database file is corrupt");
        }, Duration.ofSeconds(5))) {
            Health.Check check = probe.check();

            assertFalse(check.ok());
            assertEquals("a query failed: failed to read from /x/state.sqlite: the database file is corrupt",
                    check.detail());
        }
    }

    @Test
    void aClosedProbeReportsTheDaemonStopping() {
        DatabaseProbe probe = new DatabaseProbe(() -> { }, Duration.ofSeconds(5));
        probe.close();

        assertEquals(Health.Check.failing("the daemon is stopping"), probe.check());
    }
}
