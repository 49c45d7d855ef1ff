package clf.hetzner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.hetzner.testing.SimHarness;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Rate limits, 5xx, lost and slow answers: what the client absorbs and what it reports. */
class FaultHandlingTest {
    private final SimHarness h = new SimHarness();
    private final HetznerClient client = h.client();

    @AfterEach
    void close() {
        h.close();
    }

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }

    @Test
    void waitsOutA429AsLongAsTheHeadersSayForOneRequest() {
        h.sim.setRateLimit(60); // one request per minute refills; Reset in 120 s → 2 s for one request
        h.sim.rateLimitNext(1, Duration.ofSeconds(120));

        client.listServers(null);

        assertEquals(List.of(Duration.ofSeconds(2)), h.time.sleeps());
        assertEquals(2, h.sim.count("GET /servers"));
    }

    @Test
    void waitsAtLeastOneSecondPer429() {
        h.sim.rateLimitNext(3, Duration.ofSeconds(3));

        client.listServers(null);

        assertEquals(List.of(ms(1000), ms(1000), ms(1000)), h.time.sleeps());
    }

    @Test
    void waitsThroughARateLimitWindow() {
        h.sim.rateLimitFor(Duration.ofSeconds(5));

        client.listServers(null);

        assertEquals(Duration.ofSeconds(5), h.time.slept());
    }

    @Test
    void givesUpWhenTheRateLimitWaitWouldExceedItsBudget() {
        HetznerClient patient = h.client(h.config().withMaxRateLimitWait(Duration.ofSeconds(10)));
        h.sim.rateLimitFor(Duration.ofHours(1));

        HetznerApiException e = assertThrows(HetznerApiException.class, () -> patient.listServers(null));

        assertEquals(429, e.status());
        assertEquals("rate_limit_exceeded", e.code());
        assertTrue(e.getMessage().contains("rate limited"), e.getMessage());
        assertTrue(e.retryable());
        assertEquals(Duration.ofSeconds(10), h.time.slept());
    }

    @Test
    void retriesServerErrorsWithDoublingBackoffThenSucceeds() {
        h.sim.failNext(2, 500, "server_error");

        client.listServers(null);

        assertEquals(List.of(ms(500), ms(1000)), h.time.sleeps());
        assertEquals(3, h.sim.count("GET /servers"));
    }

    @Test
    void persistentServerErrorNamesMethodPathStatusAndCode() {
        h.sim.failNext(100, 503, "unavailable", "service temporarily unavailable");

        HetznerApiException e = assertThrows(HetznerApiException.class, () -> client.listServers("cattle=true"));

        assertEquals("GET /servers?label_selector=cattle=true&page=1&per_page=50: HTTP 503 unavailable: "
                + "service temporarily unavailable (after 4 attempts)", e.getMessage());
        assertEquals(List.of(ms(500), ms(1000), ms(2000)), h.time.sleeps());
        assertEquals(4, h.sim.count("GET /servers"));
        assertTrue(e.retryable());
    }

    @Test
    void backoffIsCapped() {
        HetznerClient client6 = h.client(h.config().withRetries(6, Duration.ofSeconds(2), Duration.ofSeconds(5), 0));
        h.sim.failNext(100, 500, "server_error");

        assertThrows(HetznerApiException.class, () -> client6.listServers(null));

        assertEquals(List.of(ms(2000), ms(4000), ms(5000), ms(5000), ms(5000)), h.time.sleeps());
    }

    @Test
    void lockedResourceIsRetried() {
        long id = h.sim.addServer("busy", Map.of()).id();
        h.sim.failNext(1, 423, "locked", "server is locked");

        assertEquals(DeleteOutcome.DELETED, client.deleteServer(id));
        assertEquals(List.of(ms(500)), h.time.sleeps());
    }

    @Test
    void timedOutRequestIsRetriedThenSucceeds() {
        // 1 s: long enough for the retry to succeed even on a loaded machine, short against the 3 s hold.
        HetznerClient impatient = h.client(h.config().withRequestTimeout(ms(1000)));
        h.sim.holdNext(1, Duration.ofSeconds(3));

        impatient.listServers(null);

        assertEquals(List.of(ms(500)), h.time.sleeps());
        assertEquals(1, impatient.stats().transportFailures());
    }

    @Test
    void persistentTimeoutFailsWithAClearError() {
        HetznerClient impatient = h.client(h.config().withRequestTimeout(ms(200))
                .withRetries(2, ms(500), Duration.ofSeconds(5), 0));
        h.sim.holdNext(10, Duration.ofSeconds(3));

        HetznerTransportException e = assertThrows(HetznerTransportException.class, () -> impatient.getServer(7));

        assertEquals("GET /servers/7: request timed out after 200 ms (after 2 attempts)", e.getMessage());
        assertTrue(e.retryable());
    }

    @Test
    void createWhoseAnswerWasLostIsAdoptedOnRetry() {
        // 1 s: long enough for the retry to succeed even on a loaded machine, short against the 3 s hold.
        HetznerClient impatient = h.client(h.config().withRequestTimeout(ms(1000)));
        h.sim.holdNext(1, Duration.ofSeconds(3));
        ServerSpec spec = new ServerSpec("lost-answer", "cx23", "ubuntu-24.04", null, null, Map.of("job", "7"), List.of());

        CreatedServer created = impatient.createServer(spec);

        assertTrue(created.adopted());
        assertEquals(1, h.sim.servers().size());
        assertEquals(2, h.sim.count("POST /servers"));
    }

    @Test
    void aLostCreateIsNotSentAgainWhenItsServerMayHaveBeenReapedByThen() {
        // The storm test's duplicate: the first try's server was made, its 3 s TTL passed during the
        // held answer, the reaper deleted it, and the repeat made a second server for one job.
        HetznerClient impatient = h.client(h.config().withRequestTimeout(ms(1000)));
        h.sim.holdNext(1, Duration.ofSeconds(3));
        ServerSpec spec = new ServerSpec("short-lived", "cx23", "ubuntu-24.04", null, null, Map.of("job", "8"), List.of());

        HetznerTransportException e = assertThrows(HetznerTransportException.class,
                () -> impatient.createServer(spec, h.time.instant().plusSeconds(1)));

        assertTrue(e.getMessage().contains("not sent again"), e.getMessage());
        assertEquals(1, h.sim.count("POST /servers"));
    }

    @Test
    void aCreateAnswered5xxIsRepeatedOnlyWhileItsRepeatIsAnsweredInTime() {
        ServerSpec spec = new ServerSpec("five-hundred", "cx23", "ubuntu-24.04", null, null, Map.of("job", "9"), List.of());
        h.sim.failNext(1, 503, "unavailable");

        HetznerApiException refused = assertThrows(HetznerApiException.class,
                () -> client.createServer(spec, h.time.instant().plusSeconds(2)));
        assertTrue(refused.getMessage().contains("not sent again"), refused.getMessage());
        assertEquals(1, h.sim.count("POST /servers"));

        h.sim.failNext(1, 503, "unavailable");
        CreatedServer created = client.createServer(spec, h.time.instant().plusSeconds(3600));
        assertEquals("five-hundred", created.server().name());
        assertEquals(3, h.sim.count("POST /servers"));
    }

    @Test
    void unreachableApiIsRetriedThenReported() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        HetznerClient lost = h.client(h.config().withBaseUrl(URI.create("http://127.0.0.1:" + port + "/v1")));

        HetznerTransportException e = assertThrows(HetznerTransportException.class, () -> lost.deleteServer(5));

        assertTrue(e.getMessage().startsWith("DELETE /servers/5: network error: ConnectException"), e.getMessage());
        assertTrue(e.getMessage().endsWith("(after 4 attempts)"), e.getMessage());
        assertEquals(4, lost.stats().transportFailures());
    }

    @Test
    void slowAnswersWithinTheTimeoutNeedNoRetry() {
        h.sim.setLatency(ms(150));

        client.listServers(null);

        assertTrue(h.time.sleeps().isEmpty());
    }

    @Test
    void statsCountAnswersByCodeAndKeepTheLastRateLimitHeaders() {
        h.sim.failNext(1, 500, "server_error");
        client.listServers(null);
        h.sim.rateLimitNext(1, Duration.ofSeconds(2));
        client.getServer(1);

        ClientStats stats = client.stats();

        assertEquals(1, stats.serverErrors());
        assertEquals(1, stats.rateLimited());
        assertEquals(1, stats.success());
        assertEquals(1, stats.clientErrors()); // the 404 of getServer(1)
        assertEquals(4, stats.requests());
        assertEquals(new java.util.TreeMap<>(Map.of(200, 1L, 404, 1L, 429, 1L, 500, 1L)), stats.answers());
        assertEquals(0, stats.transportFailures());
        assertEquals(3600, stats.rateLimitLimit().orElseThrow());
        assertTrue(stats.rateLimitRemaining().orElseThrow() < 3600);
        assertTrue(stats.rateLimitReset().orElseThrow() > 1_700_000_000L, "Unix seconds: " + stats.rateLimitReset());
        assertFalse(client.getServer(1).isPresent());
    }
}
