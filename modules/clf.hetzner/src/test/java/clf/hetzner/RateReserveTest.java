package clf.hetzner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.hetzner.testing.SimHarness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The reserve of the rate limit kept for essential calls, against the simulator's rate bucket on
 * fake time: 100 requests an hour (one more every 36 s), 10 % (10 requests) kept back.
 */
class RateReserveTest {
    private final SimHarness h = new SimHarness();
    private final HetznerClient client = h.client();
    private final List<BudgetWait> waits = new ArrayList<>();

    @BeforeEach
    void limit() {
        h.sim.setRateLimit(100);
        client.reserveForEssential(10, waits::add);
    }

    @AfterEach
    void close() {
        h.close();
    }

    @Test
    void ordinaryCallsStopAtTheReserveAndWaitForItToRefill() {
        for (int i = 0; i < 91; i++) {
            client.listServers(null); // 100 → 9 left: the 91st went with 10 left, at the reserve
        }
        assertEquals(List.of(), h.time.sleeps(), "nothing waited above the reserve");

        client.listServers(null); // 9 left, under the reserve of 10: waits until one more has refilled

        assertEquals(1, waits.size(), "told once: " + waits);
        BudgetWait wait = waits.get(0);
        assertEquals("GET /servers", wait.call());
        assertEquals(100, wait.limit());
        assertEquals(9, wait.remaining());
        assertEquals(10, wait.reserve());
        Duration slept = h.time.slept();
        assertTrue(slept.compareTo(Duration.ofSeconds(36)) >= 0 && slept.compareTo(Duration.ofSeconds(37)) < 0,
                "one request's refill (36 s), got " + slept);
        assertEquals(92, h.sim.count("GET /servers"));
        assertTrue(h.sim.exchanges().stream().noneMatch(e -> e.status() == 429), "never rate limited");
    }

    @Test
    void essentialCallsGoOutUnderTheReserveWithoutWaiting() {
        for (int i = 0; i < 95; i++) {
            client.essential().listServers(null); // 5 left, well under the reserve
        }
        long id = h.sim.addServer("cattle-rex-1", java.util.Map.of()).id();

        assertEquals(DeleteOutcome.DELETED, client.essential().deleteServer(id));
        client.essential().listServers(null);

        assertEquals(List.of(), h.time.sleeps());
        assertEquals(List.of(), waits);
        assertEquals(3, client.stats().rateLimitRemaining().orElseThrow(), "100 − 97 calls");
    }

    @Test
    void withoutAReserveNothingWaits() {
        client.reserveForEssential(0, waits::add);
        for (int i = 0; i < 100; i++) {
            client.listServers(null);
        }
        assertEquals(List.of(), h.time.sleeps());
        assertEquals(List.of(), waits);
    }

    @Test
    void theReserveIsAPercentage() {
        assertThrows(IllegalArgumentException.class, () -> client.reserveForEssential(101, waits::add));
        assertThrows(IllegalArgumentException.class, () -> client.reserveForEssential(-1, waits::add));
    }
}
