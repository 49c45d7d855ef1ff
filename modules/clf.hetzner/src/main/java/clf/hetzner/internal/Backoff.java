package clf.hetzner.internal;

import java.time.Duration;

/** The wait before the next try: {@code base · 2^(failures−1)}, capped, shortened by jitter. */
public final class Backoff {
    private Backoff() {
    }

    /**
     * @param failures tries that failed so far (1 after the first)
     * @param random01 uniformly random in [0, 1); 0 means no jitter
     */
    public static Duration delay(int failures, Duration base, Duration cap, double jitter, double random01) {
        long capMs = cap.toMillis();
        int doublings = Math.max(0, Math.min(failures, 62) - 1);
        // Compare as doubles: base << doublings overflows long before it matters.
        double uncapped = base.toMillis() * Math.pow(2, doublings);
        long delay = uncapped >= capMs ? capMs : (long) uncapped;
        return Duration.ofMillis(delay - (long) (delay * jitter * random01));
    }
}
