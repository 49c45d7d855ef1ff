package clf.hetzner.internal.sim;

import java.time.Instant;

/**
 * Hetzner's rate limit: a bucket of {@code limit} requests per hour that refills gradually
 * ({@code limit/3600} per second) and whose {@code RateLimit-Reset} is the Unix second at which
 * it will be full again. Synchronised; time comes from the caller (the simulator's clock).
 */
public final class RateBucket {
    private int limit;
    private double tokens;
    private Instant updated;

    /** What the {@code RateLimit-*} headers of one answer say, and whether the request may pass. */
    public record Reading(boolean allowed, int limit, int remaining, long resetEpochSecond) {
    }

    public RateBucket(int limit, Instant now) {
        this.limit = limit;
        this.tokens = limit;
        this.updated = now;
    }

    public synchronized void setLimit(int newLimit, Instant now) {
        limit = newLimit;
        tokens = newLimit;
        updated = now;
    }

    /** Takes one request's worth if available. */
    public synchronized Reading take(Instant now) {
        refill(now);
        boolean allowed = tokens >= 1;
        if (allowed) {
            tokens -= 1;
        }
        return reading(allowed, now);
    }

    /** The headers of an answer refused by an injected fault: empty bucket, full at {@code resetAt}. */
    public synchronized Reading exhaustedUntil(Instant resetAt) {
        return new Reading(false, limit, 0, ceilSeconds(resetAt));
    }

    private void refill(Instant now) {
        double elapsedSeconds = Math.max(0, now.toEpochMilli() - updated.toEpochMilli()) / 1000.0;
        tokens = Math.min(limit, tokens + elapsedSeconds * limit / 3600.0);
        updated = now;
    }

    private Reading reading(boolean allowed, Instant now) {
        double secondsToFull = (limit - tokens) * 3600.0 / limit;
        return new Reading(allowed, limit, (int) Math.floor(tokens),
                ceilSeconds(now.plusMillis((long) Math.ceil(secondsToFull * 1000))));
    }

    private static long ceilSeconds(Instant instant) {
        long seconds = instant.getEpochSecond();
        return instant.getNano() > 0 ? seconds + 1 : seconds;
    }
}
