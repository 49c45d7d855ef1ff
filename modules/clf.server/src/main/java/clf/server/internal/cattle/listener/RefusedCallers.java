package clf.server.internal.cattle.listener;

import clf.server.internal.log.Log;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Failed redemptions on the cattle listener, counted per minute: one log line per minute instead
 * of one per failure (anyone on the tailnet can send a thousand bad tokens a second, and each line
 * used to reach the journal), and a source address past {@value #PER_SOURCE_LIMIT} failures in the
 * current minute is answered 429 before its token is even looked at.
 *
 * <p>Windows are fixed minutes counted from their first failure; the table starts empty in each
 * one, and holds at most {@value #MAX_SOURCES} addresses: failures from further addresses are
 * counted in the line but not per address, so they are never answered 429. The listener is on the
 * tailnet, whose addresses a caller cannot make up by the thousand; the cap is there so memory
 * stays bounded whatever arrives.
 */
public final class RefusedCallers implements AutoCloseable {
    public static final int PER_SOURCE_LIMIT = 30;
    static final int MAX_SOURCES = 1024;
    static final Duration WINDOW = Duration.ofMinutes(1);
    private static final int SAMPLE_SOURCES = 5;
    /** Reasons can name a job ("token already used (job …)"); past this many, they are "other". */
    private static final int MAX_REASONS = 32;

    private final Clock clock;
    private final Log log;
    private final ScheduledExecutorService timer;

    private Instant windowStart;
    private final Map<String, Integer> bySource = new HashMap<>();
    private final Map<String, Integer> byReason = new TreeMap<>();
    private int failures;
    private int untracked;
    private int throttled;

    public RefusedCallers(Clock clock, Log log) {
        this.clock = clock;
        this.log = log;
        this.timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "clf-cattle-refusals");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Writes each minute's line within 10 s of the minute's end, even when no failure follows. */
    public RefusedCallers start() {
        timer.scheduleWithFixedDelay(this::flushIfDue, 10, 10, TimeUnit.SECONDS);
        return this;
    }

    /** How long {@code source} must wait before it is heard again, or empty when it may go on. */
    public synchronized Optional<Duration> throttled(String source) {
        Instant now = clock.instant();
        roll(now, false);
        if (bySource.getOrDefault(source, 0) < PER_SOURCE_LIMIT) {
            return Optional.empty();
        }
        throttled++;
        Duration left = Duration.between(now, windowStart.plus(WINDOW));
        return Optional.of(left.isNegative() ? Duration.ZERO : left);
    }

    /** A redemption from {@code source} failed for {@code reason} (said in the minute's line). */
    public synchronized void refused(String source, String reason) {
        Instant now = clock.instant();
        roll(now, false);
        if (windowStart == null) {
            windowStart = now;
        }
        failures++;
        byReason.merge(byReason.containsKey(reason) || byReason.size() < MAX_REASONS ? reason : "other", 1,
                Integer::sum);
        if (bySource.containsKey(source) || bySource.size() < MAX_SOURCES) {
            bySource.merge(source, 1, Integer::sum);
        } else {
            untracked++;
        }
    }

    /** Logs and clears the current window if its minute is over. */
    synchronized void flushIfDue() {
        roll(clock.instant(), false);
    }

    private void roll(Instant now, boolean force) {
        if (windowStart == null || !force && now.isBefore(windowStart.plus(WINDOW))) {
            return;
        }
        String sources = bySource.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()))
                .limit(SAMPLE_SOURCES).map(e -> e.getKey() + ": " + e.getValue())
                .collect(Collectors.joining(", "));
        int others = bySource.size() - Math.min(SAMPLE_SOURCES, bySource.size());
        if (others > 0 || untracked > 0) {
            sources += " and " + (others > 0 ? others + " more" : "")
                    + (others > 0 && untracked > 0 ? ", " : "")
                    + (untracked > 0 ? untracked + " failures from untracked addresses" : "");
        }
        log.warn("cattle.env-refused", "since", windowStart, "failures", failures,
                "reasons", byReason.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                        .collect(Collectors.joining("; ")),
                "sources", sources, "answered_429", throttled);
        windowStart = null; // the next window starts with its first failure
        bySource.clear();
        byReason.clear();
        failures = 0;
        untracked = 0;
        throttled = 0;
    }

    /** Stops the timer and writes what the current minute has so far. */
    @Override
    public void close() {
        timer.shutdownNow();
        synchronized (this) {
            roll(clock.instant(), true);
        }
    }
}
