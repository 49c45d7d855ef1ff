package clf.hetzner.internal;

import clf.hetzner.ClientStats;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** Counts exchanges by status code and keeps the last rate-limit headers seen; thread-safe. */
public final class ClientMeter {
    private static final long UNKNOWN = Long.MIN_VALUE;

    private final Map<Integer, LongAdder> answers = new ConcurrentHashMap<>();
    private final LongAdder transportFailures = new LongAdder();
    private final AtomicLong limit = new AtomicLong(UNKNOWN);
    private final AtomicLong remaining = new AtomicLong(UNKNOWN);
    private final AtomicLong reset = new AtomicLong(UNKNOWN);

    void answered(int status, RateLimitWait.RateLimitHeaders headers) {
        answers.computeIfAbsent(status, code -> new LongAdder()).increment();
        headers.limit().ifPresent(limit::set);
        headers.remaining().ifPresent(remaining::set);
        headers.reset().ifPresent(reset::set);
    }

    void unanswered() {
        transportFailures.increment();
    }

    public ClientStats snapshot() {
        Map<Integer, Long> counted = new TreeMap<>();
        answers.forEach((status, count) -> counted.put(status, count.sum()));
        return new ClientStats(new TreeMap<>(counted), transportFailures.sum(), known(limit.get()),
                known(remaining.get()), known(reset.get()));
    }

    private static OptionalLong known(long value) {
        return value == UNKNOWN ? OptionalLong.empty() : OptionalLong.of(value);
    }
}
