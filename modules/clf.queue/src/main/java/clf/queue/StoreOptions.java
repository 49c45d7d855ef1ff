package clf.queue;

import clf.protocol.InvalidInputException;
import java.time.Clock;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * How a {@link JobStore} behaves apart from where it keeps its jobs.
 *
 * @param clock       every time the store records or compares comes from here
 * @param retryPolicy the wait before a failed job's next attempt
 * @param busyTimeout how long a write waits for another process holding the database
 * @param random      source of retry jitter
 */
public record StoreOptions(Clock clock, RetryPolicy retryPolicy, Duration busyTimeout, RandomGenerator random) {
    public StoreOptions {
        if (clock == null) {
            throw new InvalidInputException("clock", "a clock", null);
        }
        if (retryPolicy == null) {
            throw new InvalidInputException("retryPolicy", "a retry policy", null);
        }
        if (busyTimeout == null || busyTimeout.isNegative() || busyTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new InvalidInputException("busyTimeout", "0 ms to 24 days", busyTimeout);
        }
        if (random == null) {
            throw new InvalidInputException("random", "a random generator", null);
        }
    }

    /** The system UTC clock, the default retry policy and a 10 s busy timeout. */
    public static StoreOptions defaults() {
        return new StoreOptions(Clock.systemUTC(), RetryPolicy.DEFAULT, Duration.ofSeconds(10),
                new SplittableRandom());
    }

    public StoreOptions withClock(Clock newClock) {
        return new StoreOptions(newClock, retryPolicy, busyTimeout, random);
    }
}
