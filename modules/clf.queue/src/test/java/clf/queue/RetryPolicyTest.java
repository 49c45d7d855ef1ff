package clf.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.protocol.InvalidInputException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    final RetryPolicy policy = new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(10), 0.5);

    @Test
    void doublesFromTheBaseUntilTheCap() {
        assertEquals(Duration.ofSeconds(1), policy.delayAfter(1, 0));
        assertEquals(Duration.ofSeconds(4), policy.delayAfter(3, 0));
        assertEquals(Duration.ofSeconds(10), policy.delayAfter(10, 0));
        assertEquals(Duration.ofSeconds(10), policy.delayAfter(Integer.MAX_VALUE, 0));
    }

    @Test
    void jitterOnlyShortensAndByAtMostItsFraction() {
        assertEquals(Duration.ofMillis(3000), policy.delayAfter(3, 0.5));
        long almostFullJitter = policy.delayAfter(3, 0.999999).toMillis();
        assertTrue(almostFullJitter >= 2000 && almostFullJitter <= 2001, "got " + almostFullJitter);
    }

    @Test
    void settingsAreChecked() {
        assertThrows(InvalidInputException.class, () -> new RetryPolicy(Duration.ZERO, Duration.ofSeconds(1), 0));
        assertThrows(InvalidInputException.class,
                () -> new RetryPolicy(Duration.ofSeconds(2), Duration.ofSeconds(1), 0));
        assertThrows(InvalidInputException.class,
                () -> new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(1), 1.5));
    }
}
