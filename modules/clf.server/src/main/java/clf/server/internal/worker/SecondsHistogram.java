package clf.server.internal.worker;

import clf.protocol.Histogram;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * Durations counted into fixed buckets, safe to record from many threads without a lock. A
 * {@link #snapshot()} taken while others record may show a sum a moment newer than the counts;
 * the counts themselves always add up.
 */
final class SecondsHistogram {
    private final List<Double> bounds;
    private final LongAdder[] buckets; // one per bound, then +Inf; not cumulative
    private final DoubleAdder sum = new DoubleAdder();

    SecondsHistogram(List<Double> bounds) {
        this.bounds = List.copyOf(bounds);
        this.buckets = new LongAdder[bounds.size() + 1];
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = new LongAdder();
        }
    }

    void observe(double seconds) {
        int i = 0;
        while (i < bounds.size() && seconds > bounds.get(i)) {
            i++;
        }
        buckets[i].increment();
        sum.add(seconds);
    }

    Histogram snapshot() {
        List<Long> cumulative = new ArrayList<>(buckets.length);
        long running = 0;
        for (LongAdder bucket : buckets) {
            running += bucket.sum();
            cumulative.add(running);
        }
        return new Histogram(bounds, cumulative, sum.sum());
    }
}
