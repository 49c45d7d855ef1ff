package clf.server.internal.http;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Each requester's enqueue rate: a token bucket per requester that holds {@code burst} tokens and
 * gains {@code perSecond} a second. In memory: a restart forgives, which costs at most one burst.
 */
final class EnqueueRate {
    /** Buckets kept at most; past this, full ones (requesters idle for a while) are dropped. */
    private static final int MAX_BUCKETS = 10_000;

    private final double perSecond;
    private final int burst;
    private final LongSupplier nanoTime;
    private final Map<String, Bucket> buckets = new HashMap<>();

    EnqueueRate(int perSecond, int burst, LongSupplier nanoTime) {
        this.perSecond = perSecond;
        this.burst = burst;
        this.nanoTime = nanoTime;
    }

    private static final class Bucket {
        double tokens;
        long at;

        Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }
    }

    /**
     * Takes one of {@code requester}'s tokens.
     *
     * @return 0 if taken; otherwise the milliseconds until one is there
     */
    synchronized long take(String requester) {
        long now = nanoTime.getAsLong();
        Bucket bucket = refilled(requester, now);
        if (bucket.tokens >= 1) {
            bucket.tokens -= 1;
            return 0;
        }
        return Math.max(1, (long) Math.ceil((1 - bucket.tokens) / perSecond * 1000));
    }

    /** Gives back a token taken for an enqueue that stored nothing (a dedupe hit). */
    synchronized void giveBack(String requester) {
        Bucket bucket = buckets.get(requester);
        if (bucket != null) {
            bucket.tokens = Math.min(burst, bucket.tokens + 1);
        }
    }

    private Bucket refilled(String requester, long now) {
        Bucket bucket = buckets.get(requester);
        if (bucket == null) {
            if (buckets.size() >= MAX_BUCKETS) {
                dropFull(now);
            }
            bucket = new Bucket(burst, now);
            buckets.put(requester, bucket);
            return bucket;
        }
        bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.at) / 1e9 * perSecond);
        bucket.at = now;
        return bucket;
    }

    private void dropFull(long now) {
        for (Iterator<Bucket> it = buckets.values().iterator(); it.hasNext(); ) {
            Bucket bucket = it.next();
            if (bucket.tokens + (now - bucket.at) / 1e9 * perSecond >= burst) {
                it.remove();
            }
        }
    }
}
