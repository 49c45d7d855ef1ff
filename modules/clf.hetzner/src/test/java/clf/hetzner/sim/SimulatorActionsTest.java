package clf.hetzner.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import clf.hetzner.testing.RawApi;
import clf.hetzner.testing.SimHarness;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Actions (create, power, delete) run and then succeed by the simulator's clock, and can be read
 * back one by one, by id list and per server; {@code PUT /servers/{id}} renames and relabels.
 * Requests and answers are checked against the OpenAPI file.
 */
@SuppressWarnings("unchecked")
class SimulatorActionsTest {
    private final SimHarness h = new SimHarness();
    private final RawApi api = new RawApi(h.sim.baseUrl());

    @AfterEach
    void close() {
        h.close();
    }

    private static Map<String, Object> object(Map<String, Object> json, String key) {
        return (Map<String, Object>) json.get(key);
    }

    private static long id(Map<String, Object> json) {
        return ((Number) json.get("id")).longValue();
    }

    private Map<String, Object> action(long id) {
        RawApi.Answer answer = api.send("GET", "/actions/" + id, null);
        assertEquals(200, answer.status(), answer.body());
        return object(answer.json(), "action");
    }

    private long createServer(String name) {
        RawApi.Answer created = api.send("POST", "/servers", "{\"name\":\"" + name + "\",\"server_type\":\"cx23\","
                + "\"image\":\"ubuntu-24.04\",\"labels\":{\"job\":\"7\"}}");
        assertEquals(201, created.status(), created.body());
        return id(object(created.json(), "server"));
    }

    @Test
    void theCreateActionRunsUntilTheServerHasBooted() {
        RawApi.Answer created = api.send("POST", "/servers", "{\"name\":\"vm\",\"server_type\":\"cx23\",\"image\":\"ubuntu-24.04\"}");
        Map<String, Object> create = object(created.json(), "action");
        long start = id(((List<Map<String, Object>>) created.json().get("next_actions")).get(0));

        assertEquals(List.of("create_server", "running", 0), List.of(create.get("command"), create.get("status"),
                create.get("progress")));
        assertEquals("running", action(id(create)).get("status"));
        h.time.advance(Duration.ofSeconds(5)); // the harness's boot delay
        Map<String, Object> done = action(id(create));
        assertEquals(List.of("success", 100), List.of(done.get("status"), done.get("progress")));
        assertEquals("2026-01-01T10:00:05Z", done.get("finished"));
        assertEquals("success", action(start).get("status"));

        RawApi.Answer both = api.send("GET", "/actions?id=" + id(create) + "&id=" + start, null);
        assertEquals(List.of(id(create), start), ((List<Map<String, Object>>) both.json().get("actions")).stream()
                .map(SimulatorActionsTest::id).toList());
        assertFalse(both.json().containsKey("meta"), "GET /actions has no meta in the OpenAPI file");
    }

    @Test
    void powerActionsChangeTheServerAndAreListedPerServer() {
        long id = createServer("vm");
        h.time.advance(Duration.ofSeconds(5));

        RawApi.Answer off = api.send("POST", "/servers/" + id + "/actions/poweroff", null);
        assertEquals(201, off.status());
        assertEquals("stop_server", object(off.json(), "action").get("command"));
        assertEquals("running", object(off.json(), "action").get("status"));
        assertEquals("off", h.sim.server(id).orElseThrow().status());
        h.time.advance(Duration.ofSeconds(1));
        assertEquals("success", action(id(object(off.json(), "action"))).get("status"));
        api.send("POST", "/servers/" + id + "/actions/poweron", null);
        assertEquals("running", h.sim.server(id).orElseThrow().status());
        api.send("POST", "/servers/" + id + "/actions/shutdown", null);
        assertEquals("off", h.sim.server(id).orElseThrow().status());

        List<Map<String, Object>> actions = (List<Map<String, Object>>) api.send("GET",
                "/servers/" + id + "/actions?sort=id:desc", null).json().get("actions");
        assertEquals(List.of("shutdown_server", "start_server", "stop_server", "start_server", "create_server"),
                actions.stream().map(action -> action.get("command")).toList());
        List<Map<String, Object>> running = (List<Map<String, Object>>) api.send("GET",
                "/servers/" + id + "/actions?status=running", null).json().get("actions");
        assertEquals(List.of("start_server", "shutdown_server"), running.stream().map(a -> a.get("command")).toList());
        long first = id(actions.get(4));
        assertEquals("create_server", object(api.send("GET", "/servers/" + id + "/actions/" + first, null).json(),
                "action").get("command"));
        assertEquals(404, api.send("POST", "/servers/42/actions/poweron", null).status());
    }

    @Test
    void aDeleteWithoutDeleteDelayAnswersWithItsFinishedAction() {
        h.sim.setDeleteDelay(Duration.ZERO);
        long id = createServer("vm");

        RawApi.Answer deleted = api.send("DELETE", "/servers/" + id, null);

        assertEquals(200, deleted.status(), deleted.body());
        assertEquals("success", action(id(object(deleted.json(), "action"))).get("status"));
        assertEquals(List.of(), h.sim.servers());
    }

    @Test
    void putRenamesAndReplacesLabels() {
        long id = createServer("vm");
        createServer("taken");

        RawApi.Answer renamed = api.send("PUT", "/servers/" + id, "{\"name\":\"vm2\",\"labels\":{\"team\":\"blue\"}}");

        assertEquals(200, renamed.status(), renamed.body());
        assertEquals("vm2", object(renamed.json(), "server").get("name"));
        assertEquals(Map.of("team", "blue"), h.sim.server(id).orElseThrow().labels());
        api.send("PUT", "/servers/" + id, "{\"labels\":{}}");
        assertEquals(Map.of(), h.sim.server(id).orElseThrow().labels());
        assertEquals("vm2", h.sim.server(id).orElseThrow().name());
        assertEquals("uniqueness_error", api.send("PUT", "/servers/" + id, "{\"name\":\"taken\"}").code());
        assertEquals(404, api.send("PUT", "/servers/42", "{\"name\":\"x\"}").status());
        assertNull(h.sim.servers().stream().filter(s -> s.name().equals("vm")).findFirst().orElse(null));
    }
}
