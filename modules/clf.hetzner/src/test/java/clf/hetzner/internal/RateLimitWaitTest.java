package clf.hetzner.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import clf.hetzner.internal.RateLimitWait.RateLimitHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class RateLimitWaitTest {
    private static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");

    private static RateLimitHeaders headers(long limit, long remaining, long resetInSeconds) {
        return new RateLimitHeaders(OptionalLong.of(limit), OptionalLong.of(remaining),
                OptionalLong.of(NOW.getEpochSecond() + resetInSeconds));
    }

    @Test
    void hetznersDefaultBucketRefillsOneRequestPerSecond() {
        assertEquals(Duration.ofSeconds(1), RateLimitWait.after429(headers(3600, 0, 3600), NOW, 1));
    }

    @Test
    void aSlowerBucketMeansALongerWait() {
        assertEquals(Duration.ofSeconds(60), RateLimitWait.after429(headers(60, 0, 3600), NOW, 1));
    }

    @Test
    void neverLessThanOneSecondEvenWhenResetHasPassed() {
        assertEquals(Duration.ofSeconds(1), RateLimitWait.after429(headers(3600, 0, -5), NOW, 3));
    }

    @Test
    void withoutHeadersBacksOffFromOneToTenSeconds() {
        RateLimitHeaders none = new RateLimitHeaders(OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty());
        assertEquals(Duration.ofSeconds(1), RateLimitWait.after429(none, NOW, 1));
        assertEquals(Duration.ofSeconds(8), RateLimitWait.after429(none, NOW, 4));
        assertEquals(Duration.ofSeconds(10), RateLimitWait.after429(none, NOW, 9));
    }

    @Test
    void withOnlyResetWaitsForReset() {
        RateLimitHeaders resetOnly = new RateLimitHeaders(OptionalLong.empty(), OptionalLong.empty(),
                OptionalLong.of(NOW.getEpochSecond() + 7));
        assertEquals(Duration.ofSeconds(7), RateLimitWait.after429(resetOnly, NOW, 1));
    }
}
