package clf.cattle.internal;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How long to wait before retry {@code attempt} (1, 2, …): doubling from {@code first} up to
 * {@code cap}, each wait drawn between half and all of that (so a fleet booting together does not
 * knock in step). A pure function of the attempt and the random source it is given.
 */
public record Backoff(Duration first, Duration cap) {
    public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(10));

    public Duration delay(int attempt, RandomGenerator random) {
        long ceiling = first.toMillis() << Math.min(Math.max(attempt - 1, 0), 20);
        long capped = Math.min(ceiling, cap.toMillis());
        return Duration.ofMillis(capped / 2 + (long) (random.nextDouble() * (capped - capped / 2)));
    }
}
