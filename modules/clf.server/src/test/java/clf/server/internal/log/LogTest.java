package clf.server.internal.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.testing.CapturedText;
import clf.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * journald drops a unit's lines past 10,000 per 30 s, errors included: the log keeps INFO under
 * its own budget so that WARN and ERROR lines always get through, and per-request lines are off
 * by default.
 */
class LogTest {
    private final CapturedText out = new CapturedText();
    private final SettableClock clock = new SettableClock(Instant.parse("2026-12-02T03:00:00Z"));

    @Test
    void aFloodOfInfoStaysWithinTheBudgetAndNeverCostsAWarning() {
        Log log = new Log(out.stream(), clock);
        for (int i = 0; i < 100_000; i++) {
            log.info("job.started", "job", "j-" + i);
        }
        log.warn("store.slow", "ms", 900);
        log.error("store.unavailable", "reason", "disk full");

        List<String> lines = lines();
        long info = lines.stream().filter(line -> line.contains(" INFO job.started ")).count();
        assertEquals(Log.BURST, info, "INFO lines let through in one instant: the burst, no more");
        assertTrue(lines.contains("2026-12-02T03:00:00Z WARN store.slow ms=900"), lines.get(lines.size() - 2));
        assertTrue(lines.contains("2026-12-02T03:00:00Z ERROR store.unavailable reason=\"disk full\""));

        // A second later the budget holds 100 lines again; the first says how many were dropped.
        clock.advance(Duration.ofSeconds(1));
        log.info("job.started", "job", "after");
        List<String> after = lines().subList(lines.size(), lines().size());
        assertEquals(List.of("2026-12-02T03:00:01Z INFO log.suppressed lines=99000 why=\"over 100 INFO lines/s\"",
                "2026-12-02T03:00:01Z INFO job.started job=after"), after);
    }

    @Test
    void overAThirtySecondWindowInfoStaysFarUnderJournaldsLimit() {
        Log log = new Log(out.stream(), clock);
        for (int second = 0; second < 30; second++) {
            for (int i = 0; i < 2_000; i++) { // 2,000 a second: six times what once overran journald
                log.info("job.finished", "job", "j");
            }
            clock.advance(Duration.ofSeconds(1));
        }
        long written = lines().size();
        assertTrue(written <= Log.BURST + 30L * Log.LINES_PER_SECOND + 30, written + " lines in 30 s");
        assertTrue(written < 10_000 / 2, "well under journald's 10,000 per 30 s: " + written);
    }

    @Test
    void perRequestLinesAreOffByDefaultAndSummarized() {
        Log log = new Log(out.stream(), clock);
        for (int i = 0; i < 500; i++) {
            log.debug("job.enqueued", "job", "j-" + i);
        }
        log.debug("job.cancel", "job", "j-1");
        assertEquals(List.of(), lines());

        log.summarize();
        assertEquals(List.of("2026-12-02T03:00:00Z INFO log.summary seconds=60 job.cancel=1 job.enqueued=500"), lines());
        log.summarize();
        assertEquals(1, lines().size(), "nothing new, nothing said");
    }

    @Test
    void debugShowsPerRequestLines() {
        Log log = Log.fromEnv(out.stream(), clock, Map.of(Log.LEVEL_VARIABLE, "debug"));
        log.debug("job.enqueued", "job", "j-1");
        assertEquals(List.of("2026-12-02T03:00:00Z DEBUG job.enqueued job=j-1"), lines());
    }

    @Test
    void anUnknownLevelIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Log.fromEnv(out.stream(), clock, Map.of(Log.LEVEL_VARIABLE, "verbose")));
        assertEquals("CLF_LOG_LEVEL: expected info or debug, got 'verbose'", e.getMessage());
        Log.fromEnv(out.stream(), clock, Map.of(Log.LEVEL_VARIABLE, "INFO")).info("x");
        assertEquals(1, lines().size());
    }

    private List<String> lines() {
        return out.text().lines().toList();
    }
}
