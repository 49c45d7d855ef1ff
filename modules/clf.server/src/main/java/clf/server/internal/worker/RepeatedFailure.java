package clf.server.internal.worker;

import clf.server.internal.log.Log;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;

/**
 * One kind of failure that can repeat many times in a row, like a claim on a store whose disk
 * is full: the first of a streak is logged, repeats are only counted and summed up at most once
 * per {@link #LOG_EVERY}, and the first success after a streak is logged with its count. So an
 * outage costs a few log lines, not one per poll, and the log (often on the same disk) does not
 * make it worse. {@link #pause} backs a loop off while the streak lasts.
 */
final class RepeatedFailure {
    static final Duration LOG_EVERY = Duration.ofMinutes(1);
    /** The longest pause {@link #pause} asks for, unless the normal one is longer already. */
    static final Duration MAX_PAUSE = Duration.ofSeconds(30);

    private final Log log;
    private final Clock clock;
    private final String failedEvent;
    private final String recoveredEvent;
    private int streak;
    private int unlogged;
    private long lastLoggedAt;

    RepeatedFailure(Log log, Clock clock, String failedEvent, String recoveredEvent) {
        this.log = log;
        this.clock = clock;
        this.failedEvent = failedEvent;
        this.recoveredEvent = recoveredEvent;
    }

    /** Counts a failure; logs it (with what was not logged since) if it starts a streak or a minute passed. */
    void failed(Object... keyValues) {
        Object[] line;
        synchronized (this) {
            streak++;
            long now = clock.millis();
            if (streak > 1 && now - lastLoggedAt < LOG_EVERY.toMillis()) {
                unlogged++;
                return;
            }
            line = Arrays.copyOf(keyValues, keyValues.length + 4);
            line[keyValues.length] = "failures_in_a_row";
            line[keyValues.length + 1] = streak;
            line[keyValues.length + 2] = "not_logged";
            line[keyValues.length + 3] = unlogged;
            unlogged = 0;
            lastLoggedAt = now;
        }
        log.error(failedEvent, line);
    }

    /** Ends a streak, if there was one, with a line saying how long it was. */
    void succeeded() {
        int ended;
        synchronized (this) {
            if (streak == 0) {
                return;
            }
            ended = streak;
            streak = 0;
            unlogged = 0;
        }
        log.info(recoveredEvent, "failures_in_a_row", ended);
    }

    /**
     * How long to wait before trying again: {@code normal} doubled for each failure of the
     * streak after the first, capped at {@link #MAX_PAUSE} (or {@code normal}, if longer).
     */
    Duration pause(Duration normal) {
        int failures;
        synchronized (this) {
            failures = streak;
        }
        return pause(normal, failures);
    }

    static Duration pause(Duration normal, int failuresInARow) {
        Duration cap = normal.compareTo(MAX_PAUSE) > 0 ? normal : MAX_PAUSE;
        long doublings = Math.min(Math.max(0, failuresInARow - 1), 30);
        long ms = normal.toMillis() << doublings;
        return ms > cap.toMillis() ? cap : Duration.ofMillis(ms);
    }
}
