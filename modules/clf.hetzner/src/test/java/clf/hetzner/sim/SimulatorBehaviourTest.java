package clf.hetzner.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.hetzner.testing.FakeTime;
import clf.hetzner.testing.RawApi;
import clf.hetzner.testing.SimHarness;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Status transitions, listeners, counters, rate-limit headers and paging of the simulator. */
class SimulatorBehaviourTest {
    private final SimHarness h = new SimHarness(false);
    private final RawApi api = new RawApi(h.sim.baseUrl());

    @AfterEach
    void close() {
        h.close();
    }

    private String status(long id) {
        return h.sim.server(id).orElseThrow().status();
    }

    @Test
    void bootsThenRunsThenPowersOffAndOn() {
        long id = h.sim.addServer("vm", Map.of()).id();
        assertEquals("initializing", status(id));

        h.time.advance(Duration.ofSeconds(5));
        assertEquals("running", status(id));

        h.sim.powerOff(id);
        assertEquals("off", status(id));
        h.sim.powerOn(id);
        assertEquals("running", status(id));
    }

    @Test
    void aDeletedServerIsDeletingThenGone() {
        h.sim.setDeleteDelay(Duration.ofSeconds(3));
        long id = h.sim.addServer("vm", Map.of()).id();

        assertEquals(200, api.send("DELETE", "/servers/" + id, null).status());
        assertEquals("deleting", status(id));
        assertEquals("deleting", ((Map<?, ?>) api.send("GET", "/servers/" + id, null).json().get("server")).get("status"));

        h.time.advance(Duration.ofSeconds(3));
        assertTrue(h.sim.server(id).isEmpty());
        assertEquals(404, api.send("GET", "/servers/" + id, null).status());
        assertThrows(IllegalArgumentException.class, () -> h.sim.powerOff(id));
    }

    @Test
    void aServerCreatedNotStartedIsOffOnceBooted() {
        h.sim.setBootDelay(Duration.ZERO);
        String body = "{\"name\":\"cold\",\"server_type\":\"cx23\",\"image\":\"ubuntu-24.04\",\"start_after_create\":false}";

        assertEquals(201, api.send("POST", "/servers", body).status());

        assertEquals("off", h.sim.servers().get(0).status());
    }

    @Test
    void listenersHearCreatesAndDeletesWithNameLabelsAndUserData() {
        List<String> heard = new CopyOnWriteArrayList<>();
        h.sim.addListener(new SimListener() {
            @Override
            public void serverCreated(SimServer server) {
                heard.add("created " + server.name() + " " + server.labels() + " " + server.userData());
            }

            @Override
            public void serverDeleted(SimServer server) {
                heard.add("deleted " + server.name());
            }
        });
        String body = "{\"name\":\"vm\",\"server_type\":\"cx23\",\"image\":\"ubuntu-24.04\",\"labels\":{\"job\":\"7\"},"
                + "\"user_data\":\"#cloud-config\"}";

        long id = ((Number) ((Map<?, ?>) api.send("POST", "/servers", body).json().get("server")).get("id")).longValue();
        api.send("DELETE", "/servers/" + id, null);

        assertEquals(List.of("created vm {job=7} #cloud-config", "deleted vm"), heard);
        assertEquals(1, h.sim.count("POST /servers"));
        assertEquals(1, h.sim.count("DELETE /servers/{id}"));
    }

    @Test
    void everyAnswerCarriesRateLimitHeaders() {
        RawApi.Answer first = api.send("GET", "/servers", null);
        RawApi.Answer second = api.send("GET", "/servers/actions", null); // in the API, not simulated

        assertEquals(3600, first.header("RateLimit-Limit"));
        assertEquals(3599, first.header("RateLimit-Remaining"));
        assertEquals(3598, second.header("RateLimit-Remaining"));
        assertEquals(404, second.status());
        long now = FakeTime.START.getEpochSecond();
        assertEquals(now + 2, second.header("RateLimit-Reset")); // two requests refill in two seconds
    }

    @Test
    void anEmptyBucketAnswers429UntilItRefills() {
        h.sim.setRateLimit(2);
        api.send("GET", "/servers", null);
        api.send("GET", "/servers", null);

        RawApi.Answer refused = api.send("GET", "/servers", null);
        assertEquals(429, refused.status());
        assertEquals("rate_limit_exceeded", refused.code());
        assertEquals(0, refused.header("RateLimit-Remaining"));

        h.time.advance(Duration.ofMinutes(30)); // 2 per hour: one request back after 30 min
        assertEquals(200, api.send("GET", "/servers", null).status());
    }

    @Test
    void injected429sSayWhenTheBucketIsFull() {
        h.sim.rateLimitNext(1, Duration.ofSeconds(90));

        RawApi.Answer refused = api.send("GET", "/servers", null);

        assertEquals(429, refused.status());
        assertEquals(FakeTime.START.getEpochSecond() + 90, refused.header("RateLimit-Reset"));
        assertEquals(200, api.send("GET", "/servers", null).status());
    }

    @Test
    void pagesCarryTheFullPaginationMeta() {
        for (int i = 0; i < 7; i++) {
            h.sim.addServer("s" + i, Map.of());
        }

        Map<?, ?> pagination = (Map<?, ?>) ((Map<?, ?>) api.send("GET", "/servers?page=3&per_page=3", null).json()
                .get("meta")).get("pagination");

        assertEquals("{page=3, per_page=3, previous_page=2, next_page=null, last_page=3, total_entries=7}",
                pagination.toString());
        Map<?, ?> capped = (Map<?, ?>) ((Map<?, ?>) api.send("GET", "/servers?per_page=500", null).json()
                .get("meta")).get("pagination");
        assertEquals(50, capped.get("per_page"));
    }

    @Test
    void aHeldAnswerStillTakesEffect() {
        h.sim.holdNext(1, Duration.ofMillis(300));
        long started = System.nanoTime();

        RawApi.Answer answer = api.send("POST", "/servers", "{\"name\":\"slow\",\"server_type\":\"cx23\",\"image\":\"debian-12\"}");

        assertEquals(201, answer.status());
        assertTrue(System.nanoTime() - started >= 300_000_000L);
        assertEquals(1, h.sim.servers().size());
    }
}
