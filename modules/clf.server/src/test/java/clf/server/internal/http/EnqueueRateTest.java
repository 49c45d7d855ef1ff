package clf.server.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The per-requester token bucket behind CLF_ENQUEUE_RATE_PER_REQUESTER and its burst. */
class EnqueueRateTest {
    final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    final EnqueueRate rate = EnqueueRate.inMemory(10, 3, nanos::get);

    void advanceMs(long ms) {
        nanos.addAndGet(ms * 1_000_000);
    }

    @Test
    void aBurstPassesThenTheWaitIsUntilTheNextToken() {
        assertEquals(0, rate.take("alice"));
        assertEquals(0, rate.take("alice"));
        assertEquals(0, rate.take("alice"));

        assertEquals(100, rate.take("alice"), "10 a second: one every 100 ms");
        advanceMs(40);
        assertEquals(60, rate.take("alice"));
        advanceMs(60);
        assertEquals(0, rate.take("alice"));
    }

    @Test
    void eachRequesterHasItsOwnBucket() {
        for (int i = 0; i < 3; i++) {
            rate.take("alice");
        }

        assertEquals(0, rate.take("bob"));
    }

    @Test
    void aTokenGivenBackCanBeTakenAgainButTheBucketNeverOverfills() {
        for (int i = 0; i < 3; i++) {
            rate.take("alice");
        }
        rate.giveBack("alice");
        assertEquals(0, rate.take("alice"));

        advanceMs(10_000);
        rate.giveBack("alice");
        for (int i = 0; i < 3; i++) {
            assertEquals(0, rate.take("alice"));
        }
        assertEquals(100, rate.take("alice"), "a full bucket holds the burst, not one more");
    }
}
