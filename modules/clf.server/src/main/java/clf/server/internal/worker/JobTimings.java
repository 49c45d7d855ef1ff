package clf.server.internal.worker;

import clf.protocol.StatusReport;
import clf.queue.Completion;
import clf.queue.Job;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How long jobs wait for a worker and how long their handlers run, since the daemon started.
 * Kinds are those with a handler and outcomes a closed set, so the series stay few.
 */
public final class JobTimings {
    /** Waits for a worker: milliseconds when workers are idle, up to the poll interval for later jobs. */
    static final List<Double> CLAIM_BOUNDS = List.of(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
            30.0, 60.0, 300.0, 900.0, 3600.0);
    /** Handlers: milliseconds for a prune, minutes for a spawn waiting on a boot. */
    static final List<Double> HANDLER_BOUNDS = List.of(0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0,
            120.0, 300.0, 600.0, 1800.0);
    /** A handler's attempt that could not be ended in the store (the lease runs out instead). */
    static final String FINISH_FAILED = "finish_failed";

    private final Map<String, SecondsHistogram> claims = new ConcurrentHashMap<>();
    private final Map<Key, SecondsHistogram> handlers = new ConcurrentHashMap<>();

    private record Key(String kind, String outcome) {
    }

    JobTimings(Iterable<String> kinds) {
        for (String kind : kinds) {
            claims.put(kind, new SecondsHistogram(CLAIM_BOUNDS)); // present, at zero, before the first claim
        }
    }

    /** A kind whose handler came later: present, at zero, before its first claim. */
    void add(String kind) {
        claims.putIfAbsent(kind, new SecondsHistogram(CLAIM_BOUNDS));
    }

    /**
     * A worker claimed {@code job}: the wait runs from when it became runnable to the claim, both
     * by the store's clock ({@code updatedAt} is the claim's time).
     */
    void claimed(Job job) {
        Instant runnable = job.runAt().isAfter(job.createdAt()) ? job.runAt() : job.createdAt();
        Duration waited = Duration.between(runnable, job.updatedAt());
        claims.computeIfAbsent(job.kind(), kind -> new SecondsHistogram(CLAIM_BOUNDS))
                .observe(waited.isNegative() ? 0 : seconds(waited.toNanos()));
    }

    /** A handler ran for {@code nanos} and its job ended {@code outcome} (null: the store could not say). */
    void finished(String kind, Completion outcome, long nanos) {
        String name = outcome == null ? FINISH_FAILED : outcome.name().toLowerCase(Locale.ROOT);
        handlers.computeIfAbsent(new Key(kind, name), key -> new SecondsHistogram(HANDLER_BOUNDS))
                .observe(seconds(nanos));
    }

    /** Claim latency per kind, kinds sorted. */
    public List<StatusReport.Timing> claimLatency() {
        List<StatusReport.Timing> timings = new ArrayList<>();
        claims.forEach((kind, histogram) -> timings.add(new StatusReport.Timing(kind, null, histogram.snapshot())));
        timings.sort(Comparator.comparing(StatusReport.Timing::kind));
        return timings;
    }

    /** Handler durations per kind and outcome, sorted by both. */
    public List<StatusReport.Timing> handlerDuration() {
        List<StatusReport.Timing> timings = new ArrayList<>();
        handlers.forEach((key, histogram) -> timings.add(new StatusReport.Timing(key.kind(), key.outcome(),
                histogram.snapshot())));
        timings.sort(Comparator.comparing(StatusReport.Timing::kind).thenComparing(StatusReport.Timing::outcome));
        return timings;
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
