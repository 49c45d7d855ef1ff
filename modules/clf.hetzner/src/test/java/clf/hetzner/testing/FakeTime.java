package clf.hetzner.testing;

import clf.hetzner.Sleeper;
import clf.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A clock that only moves when told, and a sleeper that moves it instead of sleeping. Shared by
 * the client and the simulator, a retry's "wait 2 s" advances the simulator's time by 2 s at once.
 */
public final class FakeTime extends SettableClock implements Sleeper {
    public static final Instant START = Instant.parse("2026-01-01T10:00:00Z");

    private final List<Duration> sleeps = new ArrayList<>();

    public FakeTime() {
        super(START);
    }

    @Override
    public void sleep(Duration duration) {
        synchronized (sleeps) {
            sleeps.add(duration);
        }
        advance(duration);
    }

    /** Every wait the sleeper was asked for, in order. */
    public List<Duration> sleeps() {
        synchronized (sleeps) {
            return List.copyOf(sleeps);
        }
    }

    public Duration slept() {
        return sleeps().stream().reduce(Duration.ZERO, Duration::plus);
    }
}
