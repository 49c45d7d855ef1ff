package clf.queue;

import clf.testing.SettableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;

/** Stores on real SQLite files, with a settable clock and no retry jitter. */
final class TestStores {
    static final Instant T0 = Instant.parse("2026-11-27T12:00:00Z");
    static final RetryPolicy NO_JITTER = new RetryPolicy(Duration.ofSeconds(5), Duration.ofMinutes(5), 0);

    private TestStores() {
    }

    static StoreOptions options(SettableClock clock) {
        return new StoreOptions(clock, NO_JITTER, Duration.ofSeconds(10), RandomGenerator.getDefault());
    }

    static JobStore open(Path dir, SettableClock clock) {
        return JobStore.open(dir.resolve("state").resolve("state.sqlite"), options(clock));
    }
}
