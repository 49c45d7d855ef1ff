package clf.hetzner.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
    private static final Duration BASE = Duration.ofMillis(500);
    private static final Duration CAP = Duration.ofSeconds(5);

    @Test
    void doublesFromTheBaseUpToTheCap() {
        assertEquals(Duration.ofMillis(500), Backoff.delay(1, BASE, CAP, 0, 0));
        assertEquals(Duration.ofMillis(1000), Backoff.delay(2, BASE, CAP, 0, 0));
        assertEquals(Duration.ofMillis(4000), Backoff.delay(4, BASE, CAP, 0, 0));
        assertEquals(CAP, Backoff.delay(5, BASE, CAP, 0, 0));
        assertEquals(CAP, Backoff.delay(1_000, BASE, CAP, 0, 0));
    }

    @Test
    void jitterOnlyShortens() {
        assertEquals(Duration.ofMillis(900), Backoff.delay(2, BASE, CAP, 0.2, 0.5));
        assertEquals(Duration.ofMillis(801), Backoff.delay(2, BASE, CAP, 0.2, 0.999_999));
        assertEquals(Duration.ofMillis(1000), Backoff.delay(2, BASE, CAP, 0.2, 0));
    }
}
