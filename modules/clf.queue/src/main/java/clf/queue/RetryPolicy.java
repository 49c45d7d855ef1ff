package clf.queue;

import clf.protocol.InvalidInputException;
import java.time.Duration;

/**
 * How long a failed job waits before its next attempt: {@code base · 2^(attempt−1)}, capped,
 * then shortened by up to {@code jitter} of itself so that jobs failing together do not retry
 * together.
 *
 * @param base   the delay after the first failed attempt
 * @param cap    the longest delay
 * @param jitter 0 (none) to 1 (anywhere between 0 and the full delay)
 */
public record RetryPolicy(Duration base, Duration cap, double jitter) {
    /** 5 s, 10 s, 20 s, … up to 5 min, each up to 20 % shorter. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(Duration.ofSeconds(5), Duration.ofMinutes(5), 0.2);

    public RetryPolicy {
        if (base == null || base.isNegative() || base.isZero()) {
            throw new InvalidInputException("retry.base", "a positive duration", base);
        }
        if (cap == null || cap.compareTo(base) < 0) {
            throw new InvalidInputException("retry.cap", "a duration of at least retry.base (" + base + ")", cap);
        }
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new InvalidInputException("retry.jitter", "a fraction from 0 to 1", jitter);
        }
    }

    /**
     * The wait after failed attempt {@code attempt} (1 for the first).
     *
     * @param random01 a uniformly random number in [0, 1); pass 0 for no jitter
     */
    public Duration delayAfter(int attempt, double random01) {
        long baseMs = base.toMillis();
        long capMs = cap.toMillis();
        int doublings = Math.max(0, Math.min(attempt, 63) - 1);
        // base << doublings would overflow long long before it matters; compare in doubles.
        double uncapped = baseMs * Math.pow(2, doublings);
        long delay = uncapped >= capMs ? capMs : (long) uncapped;
        long shortenedBy = (long) (delay * jitter * random01);
        return Duration.ofMillis(delay - shortenedBy);
    }
}
