package clf.hetzner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConfigTest {
    @Test
    void defaultsFollowTheReferenceWhereItHasNumbers() {
        HetznerConfig config = HetznerConfig.defaults();

        assertEquals(URI.create("https://api.hetzner.cloud/v1"), config.baseUrl());
        assertEquals(Duration.ofSeconds(15), config.requestTimeout());
        assertEquals(4, config.maxAttempts());
        assertEquals(Duration.ofMillis(500), config.backoffBase());
        assertEquals(Duration.ofSeconds(5), config.backoffCap());
        assertEquals(Duration.ofSeconds(60), config.maxRateLimitWait());
        assertEquals(Duration.ofMinutes(10), config.firewallCacheTtl());
        assertEquals(50, config.pageSize());
    }

    @Test
    void aTrailingSlashOfTheBaseUrlIsDropped() {
        assertEquals(URI.create("http://127.0.0.1:1/v1"),
                HetznerConfig.defaults().withBaseUrl(URI.create("http://127.0.0.1:1/v1/")).baseUrl());
    }

    @Test
    void invalidValuesAreRefusedNamingTheField() {
        HetznerConfig config = HetznerConfig.defaults();

        assertEquals("hetzner.requestTimeout must be a positive duration, got PT0S",
                assertThrows(IllegalArgumentException.class, () -> config.withRequestTimeout(Duration.ZERO)).getMessage());
        assertEquals("hetzner.pageSize must be 1 to 50, got 51",
                assertThrows(IllegalArgumentException.class, () -> config.withPageSize(51)).getMessage());
        assertEquals("hetzner.baseUrl must be an absolute http(s) URL without query, got ftp://x/v1",
                assertThrows(IllegalArgumentException.class, () -> config.withBaseUrl(URI.create("ftp://x/v1"))).getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> config.withRetries(4, Duration.ofSeconds(2), Duration.ofSeconds(1), 0));
        assertThrows(IllegalArgumentException.class, () -> config.withRetries(0, Duration.ofSeconds(1), Duration.ofSeconds(1), 0));
        assertThrows(IllegalArgumentException.class, () -> config.withRetries(4, Duration.ofSeconds(1), Duration.ofSeconds(1), 1.5));
    }

    @Test
    void aSpecRefusesBlankRequiredFields() {
        assertEquals("server spec: serverType must not be blank", assertThrows(IllegalArgumentException.class,
                () -> new ServerSpec("a", " ", "img", null, null, null, null)).getMessage());
    }
}
