package clf.hetzner.internal;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;

/**
 * How long to wait after a 429, from the headers Hetzner sends on every answer:
 * {@code RateLimit-Limit} (requests per hour), {@code RateLimit-Remaining} and
 * {@code RateLimit-Reset} (Unix seconds when Remaining is back at Limit).
 *
 * <p>Hetzner's bucket refills gradually (at 3600/h, one request per second), so waiting for
 * {@code Reset} itself could mean an hour when one more request is possible within a second. The
 * wait is therefore the time one request takes to refill, {@code (Reset − now) / (Limit −
 * Remaining)}, but at least one second (the headers' resolution, and no point asking sooner).
 * Without usable headers it falls back to 1 s doubling per consecutive 429, up to 10 s.
 */
public final class RateLimitWait {
    private static final long MIN_MS = 1_000;
    private static final long FALLBACK_CAP_MS = 10_000;

    private RateLimitWait() {
    }

    /** @param consecutive429 how many 429s this request has had in a row, 1 for the first */
    public static Duration after429(RateLimitHeaders headers, Instant now, int consecutive429) {
        if (headers.reset().isEmpty()) {
            long fallback = MIN_MS << Math.min(Math.max(consecutive429 - 1, 0), 4);
            return Duration.ofMillis(Math.min(fallback, FALLBACK_CAP_MS));
        }
        long untilReset = Math.max(0, headers.reset().getAsLong() * 1000 - now.toEpochMilli());
        long missing = 1;
        if (headers.limit().isPresent() && headers.remaining().isPresent()) {
            missing = Math.max(1, headers.limit().getAsLong() - headers.remaining().getAsLong());
        }
        long perRequest = (untilReset + missing - 1) / missing;
        return Duration.ofMillis(Math.max(MIN_MS, perRequest));
    }

    /** The three headers of one answer; each may be absent or unreadable. */
    public record RateLimitHeaders(OptionalLong limit, OptionalLong remaining, OptionalLong reset) {
        public static RateLimitHeaders from(HttpHeaders headers) {
            return new RateLimitHeaders(number(headers, "RateLimit-Limit"), number(headers, "RateLimit-Remaining"),
                    number(headers, "RateLimit-Reset"));
        }

        private static OptionalLong number(HttpHeaders headers, String name) {
            String value = headers.firstValue(name).orElse("").trim();
            try {
                return value.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(value));
            } catch (NumberFormatException e) {
                return OptionalLong.empty();
            }
        }
    }
}
