package clf.server.internal.log;

import clf.protocol.LogLines;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The daemon's log: one line per event on its stdout, in the shape it shares with the cattle
 * agent ({@link LogLines#format}). Callers pass no secrets: tokens, keys and payloads never reach
 * here.
 *
 * <p>journald drops a unit's lines past its rate limit (by default 10,000 per 30 s), errors
 * included, so the log keeps its own volume well under that:
 * <ul>
 * <li>{@link #debug} lines, one per request (a job's whole life is in the store's events
 * instead), are off unless {@value #LEVEL_VARIABLE}=debug; while off they are counted, and
 * every {@link #SUMMARY_SECONDS} s one {@code log.summary} line gives the counts by event;
 * <li>INFO (and shown DEBUG) lines draw on a budget of {@link #LINES_PER_SECOND} a second with
 * bursts of {@link #BURST}; past it they are dropped and counted, and the next line let through
 * is preceded by {@code log.suppressed lines=N};
 * <li>WARN and ERROR lines always pass: a burst of INFO never costs one of them.
 * </ul>
 */
public final class Log {
    /** The variable that turns per-request lines on: {@code info} (the default) or {@code debug}. */
    public static final String LEVEL_VARIABLE = "CLF_LOG_LEVEL";
    /** INFO lines a second, on average: 3,000 per 30 s, under a third of journald's default limit. */
    static final int LINES_PER_SECOND = 100;
    /** INFO lines let through at once after a quiet spell (a start-up, a burst of jobs). */
    static final int BURST = 1_000;
    static final int SUMMARY_SECONDS = 60;

    private static final ScheduledExecutorService SUMMARIES = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "clf-log-summary");
        thread.setDaemon(true);
        return thread;
    });

    private final PrintStream out;
    private final Clock clock;
    private final boolean debug;
    // The budget and the counts, guarded by this.
    private double tokens = BURST;
    private long refilledAtMs;
    private long suppressed;
    private final Map<String, Long> hidden = new TreeMap<>();
    private boolean summaryScheduled;

    public Log(PrintStream out, Clock clock) {
        this(out, clock, false);
    }

    /** @param debug whether {@link #debug} lines are written (else only counted for the summary) */
    public Log(PrintStream out, Clock clock, boolean debug) {
        this.out = out;
        this.clock = clock;
        this.debug = debug;
        this.refilledAtMs = clock.millis();
    }

    /** The daemon's log at the level {@value #LEVEL_VARIABLE} names; a value not understood is refused. */
    public static Log fromEnv(PrintStream out, Clock clock, Map<String, String> env) {
        String level = env.getOrDefault(LEVEL_VARIABLE, "").strip().toLowerCase(Locale.ROOT);
        return switch (level) {
            case "", "info" -> new Log(out, clock, false);
            case "debug" -> new Log(out, clock, true);
            default -> throw new IllegalArgumentException(LEVEL_VARIABLE + ": expected info or debug, got '"
                    + env.get(LEVEL_VARIABLE) + "'");
        };
    }

    /** A line per request: written with {@value #LEVEL_VARIABLE}=debug, otherwise counted for the summary. */
    public void debug(String event, Object... keyValues) {
        if (debug) {
            budgeted("DEBUG", event, keyValues);
            return;
        }
        synchronized (this) {
            hidden.merge(event, 1L, Long::sum);
            if (!summaryScheduled) {
                summaryScheduled = true;
                SUMMARIES.scheduleAtFixedRate(this::summarize, SUMMARY_SECONDS, SUMMARY_SECONDS, TimeUnit.SECONDS);
            }
        }
    }

    public void info(String event, Object... keyValues) {
        budgeted("INFO", event, keyValues);
    }

    public void warn(String event, Object... keyValues) {
        write("WARN", event, keyValues);
    }

    public void error(String event, Object... keyValues) {
        write("ERROR", event, keyValues);
    }

    /**
     * Writes the {@code log.summary} line of the debug lines not shown since the last one, and a
     * pending {@code log.suppressed} line; nothing when there is nothing to tell.
     */
    void summarize() {
        Object[] counts;
        long dropped;
        synchronized (this) {
            dropped = suppressed;
            suppressed = 0;
            counts = new Object[hidden.size() * 2];
            int i = 0;
            for (Map.Entry<String, Long> entry : hidden.entrySet()) {
                counts[i++] = entry.getKey();
                counts[i++] = entry.getValue();
            }
            hidden.clear();
        }
        writeSuppressed(dropped);
        if (counts.length > 0) {
            Object[] keyValues = new Object[counts.length + 2];
            keyValues[0] = "seconds";
            keyValues[1] = SUMMARY_SECONDS;
            System.arraycopy(counts, 0, keyValues, 2, counts.length);
            write("INFO", "log.summary", keyValues);
        }
    }

    private void budgeted(String level, String event, Object... keyValues) {
        long dropped;
        synchronized (this) {
            long now = clock.millis();
            tokens = Math.min(BURST, tokens + (now - refilledAtMs) * LINES_PER_SECOND / 1000.0);
            refilledAtMs = now;
            if (tokens < 1) {
                suppressed++;
                return;
            }
            tokens--;
            dropped = suppressed;
            suppressed = 0;
        }
        writeSuppressed(dropped);
        write(level, event, keyValues);
    }

    /** The {@code log.suppressed} line for {@code dropped} lines the budget held back, if any. */
    private void writeSuppressed(long dropped) {
        if (dropped > 0) {
            write("INFO", "log.suppressed", "lines", dropped, "why", "over " + LINES_PER_SECOND + " INFO lines/s");
        }
    }

    private void write(String level, String event, Object... keyValues) {
        String line = LogLines.format(Instant.now(clock), level, event, keyValues);
        synchronized (out) {
            out.println(line);
        }
    }
}
