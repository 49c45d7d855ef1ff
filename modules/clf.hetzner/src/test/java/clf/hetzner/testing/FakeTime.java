package clf.hetzner.testing;

import clf.hetzner.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock that only moves when told, and a sleeper that moves it instead of sleeping. Shared by
 * the client and the simulator, a retry's "wait 2 s" advances the simulator's time by 2 s at once.
 */
public final class FakeTime extends Clock implements Sleeper {
    public static final Instant START = Instant.parse("2026-01-01T10:00:00Z");

    private final AtomicLong millis = new AtomicLong(START.toEpochMilli());
    private final List<Duration> sleeps = new ArrayList<>();

    @Override
    public void sleep(Duration duration) {
        synchronized (sleeps) {
            sleeps.add(duration);
        }
        advance(duration);
    }

    public void advance(Duration duration) {
        millis.addAndGet(duration.toMillis());
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

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis.get());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
