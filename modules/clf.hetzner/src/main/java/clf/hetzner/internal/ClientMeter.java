package clf.hetzner.internal;

import clf.hetzner.ClientStats;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** Counts exchanges by outcome and keeps the last rate-limit headers seen; thread-safe. */
public final class ClientMeter {
    private static final long UNKNOWN = Long.MIN_VALUE;

    private final LongAdder success = new LongAdder();
    private final LongAdder clientErrors = new LongAdder();
    private final LongAdder rateLimited = new LongAdder();
    private final LongAdder serverErrors = new LongAdder();
    private final LongAdder transportFailures = new LongAdder();
    private final AtomicLong limit = new AtomicLong(UNKNOWN);
    private final AtomicLong remaining = new AtomicLong(UNKNOWN);

    void answered(int status, RateLimitWait.RateLimitHeaders headers) {
        if (status == 429) {
            rateLimited.increment();
        } else if (status >= 500) {
            serverErrors.increment();
        } else if (status >= 200 && status < 300) {
            success.increment();
        } else {
            clientErrors.increment(); // 4xx, and the 1xx/3xx the client never expects (redirects are not followed)
        }
        headers.limit().ifPresent(limit::set);
        headers.remaining().ifPresent(remaining::set);
    }

    void unanswered() {
        transportFailures.increment();
    }

    public ClientStats snapshot() {
        return new ClientStats(success.sum(), clientErrors.sum(), rateLimited.sum(), serverErrors.sum(),
                transportFailures.sum(), known(limit.get()), known(remaining.get()));
    }

    private static OptionalLong known(long value) {
        return value == UNKNOWN ? OptionalLong.empty() : OptionalLong.of(value);
    }
}
