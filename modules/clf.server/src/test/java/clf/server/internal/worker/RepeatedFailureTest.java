package clf.server.internal.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import clf.server.internal.log.Log;
import clf.testing.SettableClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RepeatedFailureTest {
    final SettableClock clock = new SettableClock(Instant.parse("2026-11-27T12:00:00Z"));
    final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    final RepeatedFailure failures = new RepeatedFailure(new Log(new PrintStream(logged, true, StandardCharsets.UTF_8),
            clock), clock, "worker.claim-failed", "worker.claim-recovered");

    List<String> lines() {
        return logged.toString(StandardCharsets.UTF_8).lines().map(line -> line.substring(line.indexOf(' ') + 1)).toList();
    }

    @Test
    void theFirstFailureIsLoggedThenAtMostOneLineAMinuteWithTheCountAndTheRecovery() {
        for (int i = 0; i < 150; i++) {
            failures.failed("worker", "w-0", "error", "the disk is full");
            clock.advance(Duration.ofMillis(500));
        }
        failures.succeeded();
        failures.succeeded();
        failures.failed("worker", "w-1", "error", "locked");

        assertEquals(List.of(
                "ERROR worker.claim-failed worker=w-0 error=\"the disk is full\" failures_in_a_row=1 not_logged=0",
                "ERROR worker.claim-failed worker=w-0 error=\"the disk is full\" failures_in_a_row=121 not_logged=119",
                "INFO worker.claim-recovered failures_in_a_row=150",
                "ERROR worker.claim-failed worker=w-1 error=locked failures_in_a_row=1 not_logged=0"), lines());
    }

    @Test
    void thePauseDoublesWithEachFailureUpToThirtySeconds() {
        Duration poll = Duration.ofMillis(1000);

        assertEquals(poll, RepeatedFailure.pause(poll, 0));
        assertEquals(poll, RepeatedFailure.pause(poll, 1));
        assertEquals(Duration.ofSeconds(2), RepeatedFailure.pause(poll, 2));
        assertEquals(Duration.ofSeconds(16), RepeatedFailure.pause(poll, 5));
        assertEquals(Duration.ofSeconds(30), RepeatedFailure.pause(poll, 6));
        assertEquals(Duration.ofSeconds(30), RepeatedFailure.pause(poll, 1_000_000));
        assertEquals(Duration.ofMinutes(2), RepeatedFailure.pause(Duration.ofMinutes(2), 9), "never below the normal pause");
        assertEquals(Duration.ofMillis(800), RepeatedFailure.pause(Duration.ofMillis(50), 5));
    }

    @Test
    void theStreakSetsThePause() {
        Duration poll = Duration.ofMillis(50);
        assertEquals(poll, failures.pause(poll));
        failures.failed();
        failures.failed();
        failures.failed();
        assertEquals(Duration.ofMillis(200), failures.pause(poll));
        failures.succeeded();
        assertEquals(poll, failures.pause(poll));
    }
}
