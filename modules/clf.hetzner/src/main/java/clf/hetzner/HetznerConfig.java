package clf.hetzner;

import java.net.URI;
import java.time.Duration;

/**
 * How a {@link HetznerClient} talks to the API. Start from {@link #defaults()} and change single
 * fields with the {@code with…} methods; every value is checked when the record is built and an
 * invalid one is refused with the field's name, never silently clamped.
 *
 * @param baseUrl          API root without trailing slash, e.g. {@code https://api.hetzner.cloud/v1}
 * @param requestTimeout   time allowed for one HTTP exchange (connect and response headers)
 * @param maxAttempts      tries of one request when answers are 5xx, locked/conflict, or missing
 * @param backoffBase      wait after the first failed try; it doubles after each further one
 * @param backoffCap       longest wait between tries
 * @param backoffJitter    0 to 1: each wait is shortened by up to this fraction of itself, so that
 *                         clients failing together do not retry together
 * @param maxRateLimitWait longest total time one request may spend waiting out 429 answers
 * @param firewallCacheTtl how long {@link HetznerClient#ensureFirewall} trusts its last success
 * @param pageSize         {@code per_page} of list calls (the API allows at most 50)
 */
public record HetznerConfig(URI baseUrl, Duration requestTimeout, int maxAttempts, Duration backoffBase,
                            Duration backoffCap, double backoffJitter, Duration maxRateLimitWait,
                            Duration firewallCacheTtl, int pageSize) {

    public static final URI DEFAULT_BASE_URL = URI.create("https://api.hetzner.cloud/v1");

    public HetznerConfig {
        baseUrl = checkBaseUrl(baseUrl);
        positive("requestTimeout", requestTimeout);
        if (maxAttempts < 1 || maxAttempts > 20) {
            throw invalid("maxAttempts", "1 to 20", maxAttempts);
        }
        positive("backoffBase", backoffBase);
        positive("backoffCap", backoffCap);
        if (backoffCap.compareTo(backoffBase) < 0) {
            throw invalid("backoffCap", "at least backoffBase (" + backoffBase + ")", backoffCap);
        }
        if (!(backoffJitter >= 0 && backoffJitter <= 1)) {
            throw invalid("backoffJitter", "a fraction from 0 to 1", backoffJitter);
        }
        notNegative("maxRateLimitWait", maxRateLimitWait);
        notNegative("firewallCacheTtl", firewallCacheTtl);
        if (pageSize < 1 || pageSize > 50) {
            throw invalid("pageSize", "1 to 50", pageSize);
        }
    }

    /**
     * Hetzner's public API, 15 s per request (as the reference), 4 tries 500 ms doubling up to
     * 5 s (as the reference's reap), at most 60 s waiting for rate limits, firewall cached 10 min.
     */
    public static HetznerConfig defaults() {
        return new HetznerConfig(DEFAULT_BASE_URL, Duration.ofSeconds(15), 4, Duration.ofMillis(500),
                Duration.ofSeconds(5), 0.2, Duration.ofSeconds(60), Duration.ofMinutes(10), 50);
    }

    public HetznerConfig withBaseUrl(URI value) {
        return new HetznerConfig(value, requestTimeout, maxAttempts, backoffBase, backoffCap, backoffJitter,
                maxRateLimitWait, firewallCacheTtl, pageSize);
    }

    public HetznerConfig withRequestTimeout(Duration value) {
        return new HetznerConfig(baseUrl, value, maxAttempts, backoffBase, backoffCap, backoffJitter,
                maxRateLimitWait, firewallCacheTtl, pageSize);
    }

    public HetznerConfig withRetries(int attempts, Duration base, Duration cap, double jitter) {
        return new HetznerConfig(baseUrl, requestTimeout, attempts, base, cap, jitter,
                maxRateLimitWait, firewallCacheTtl, pageSize);
    }

    public HetznerConfig withMaxRateLimitWait(Duration value) {
        return new HetznerConfig(baseUrl, requestTimeout, maxAttempts, backoffBase, backoffCap, backoffJitter,
                value, firewallCacheTtl, pageSize);
    }

    public HetznerConfig withPageSize(int value) {
        return new HetznerConfig(baseUrl, requestTimeout, maxAttempts, backoffBase, backoffCap, backoffJitter,
                maxRateLimitWait, firewallCacheTtl, value);
    }

    private static URI checkBaseUrl(URI url) {
        if (url == null || !url.isAbsolute() || url.getHost() == null
                || !("https".equals(url.getScheme()) || "http".equals(url.getScheme()))
                || url.getRawQuery() != null || url.getRawFragment() != null) {
            throw invalid("baseUrl", "an absolute http(s) URL without query", url);
        }
        String text = url.toString();
        return text.endsWith("/") ? URI.create(text.substring(0, text.length() - 1)) : url;
    }

    private static void positive(String field, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw invalid(field, "a positive duration", value);
        }
    }

    private static void notNegative(String field, Duration value) {
        if (value == null || value.isNegative()) {
            throw invalid(field, "a duration of zero or more", value);
        }
    }

    private static IllegalArgumentException invalid(String field, String expected, Object actual) {
        return new IllegalArgumentException("hetzner." + field + " must be " + expected + ", got " + actual);
    }
}
