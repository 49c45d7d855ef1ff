package clf.queue;

import clf.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;

/** Store options for tests: a settable clock and no retry jitter. */
public final class TestStores {
    public static final Instant T0 = Instant.parse("2026-11-27T12:00:00Z");
    public static final RetryPolicy NO_JITTER = new RetryPolicy(Duration.ofSeconds(5), Duration.ofMinutes(5), 0);

    private TestStores() {
    }

    public static StoreOptions options(SettableClock clock) {
        return new StoreOptions(clock, NO_JITTER, Duration.ofSeconds(10), RandomGenerator.getDefault());
    }
}
