package clf.hetzner.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import clf.hetzner.testing.RawApi;
import clf.hetzner.testing.SimHarness;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The simulator refuses what the real API refuses, with the API's error shape and codes. Requests
 * here are invalid on purpose, so only the answers are checked against the OpenAPI file.
 */
@SuppressWarnings("unchecked")
class SimulatorValidationTest {
    private final SimHarness h = new SimHarness(false);
    private final RawApi api = new RawApi(h.sim.baseUrl());

    @AfterEach
    void close() {
        h.close();
    }

    private RawApi.Answer create(String body) {
        return api.send("POST", "/servers", body);
    }

    @Test
    void createWithoutServerTypeIsInvalidInputNamingTheField() {
        RawApi.Answer answer = create("{\"name\":\"a\",\"image\":\"ubuntu-24.04\"}");

        assertEquals(400, answer.status());
        assertEquals("invalid_input", answer.code());
        assertEquals("{fields=[{name=server_type, messages=[is missing]}]}",
                ((Map<?, ?>) answer.json().get("error")).get("details").toString());
        assertEquals(0, h.sim.servers().size());
    }

    @Test
    void shapesAndValuesTheApiWouldRefuse() {
        for (String body : List.of(
                "{\"name\":42,\"server_type\":\"cx23\",\"image\":\"ubuntu-24.04\"}",
                "{\"name\":\"under_score\",\"server_type\":\"cx23\",\"image\":\"ubuntu-24.04\"}",
                "{\"name\":\"a\",\"server_type\":\"cx23\",\"image\":\"ubuntu-24.04\",\"location\":\"mars1\"}",
                "{\"name\":\"a\",\"server_type\":\"cx23\",\"image\":\"ubuntu-24.04\",\"labels\":{\"k\":\"-bad\"}}",
                "{\"name\":\"a\",\"server_type\":\"cx23\",\"image\":\"ubuntu-24.04\",\"labels\":[]}",
                "{\"name\":\"a\",\"server_type\":\"cx23\",\"image\":\"ubuntu-24.04\",\"firewalls\":[{\"firewall\":\"1\"}]}",
                "{\"name\":\"a\",\"server_type\":\"cx23\",\"image\":\"ubuntu-24.04\",\"firewalls\":[{\"firewall\":99}]}",
                "{\"name\":\"a\",\"server_type\":\"cx23\",\"image\":\"ubuntu-24.04\",\"user_data\":\"" + "x".repeat(32 * 1024 + 1) + "\"}",
                // not modelled, so refused rather than ignored
                "{\"name\":\"a\",\"server_type\":\"cx23\",\"image\":\"ubuntu-24.04\",\"networks\":[7]}",
                "{\"name\":\"a\",\"server_type\":\"cx23\",\"image\":\"ubuntu-24.04\",\"volumes\":[7]}",
                "{\"name\":\"a\",\"server_type\":\"cx23\",\"image\":\"ubuntu-24.04\",\"placement_group\":7}",
                "{\"name\":\"a\",\"server_type\":\"cx23\",\"image\":\"ubuntu-24.04\",\"ssh_keys\":[\"me\"]}",
                "{\"name\":\"a\",\"server_type\":\"cx23\",\"image\":\"ubuntu-24.04\",\"public_net\":{\"enable_ipv4\":false}}")) {
            RawApi.Answer answer = create(body);
            assertEquals(400, answer.status(), body.substring(0, Math.min(body.length(), 120)));
            assertEquals("invalid_input", answer.code());
        }
        assertEquals(0, h.sim.servers().size());
    }

    @Test
    void aDuplicateNameIsAUniquenessError() {
        String body = "{\"name\":\"twin\",\"server_type\":\"cx23\",\"image\":\"ubuntu-24.04\"}";
        assertEquals(201, create(body).status());

        RawApi.Answer second = create(body);

        assertEquals(409, second.status());
        assertEquals("uniqueness_error", second.code());
    }

    @Test
    void malformedJsonIsAJsonError() {
        RawApi.Answer answer = create("{\"name\":");
        assertEquals(400, answer.status());
        assertEquals("json_error", answer.code());
    }

    @Test
    void missingOrWrongTokenIsUnauthorized() {
        assertEquals("unauthorized", api.send("GET", "/servers", null, null).code());
        assertEquals(401, api.send("GET", "/servers", null, "nope").status());
    }

    @Test
    void unknownThingsAreNotFoundAndBadIdsInvalid() {
        assertEquals("not_found", api.send("GET", "/servers/123", null).code());
        assertEquals("not_found", api.send("DELETE", "/servers/123", null).code());
        assertEquals("not_found", api.send("GET", "/firewalls/123", null).code());
        assertEquals("not_found", api.send("POST", "/firewalls/123/actions/set_rules", "{\"rules\":[]}").code());
        assertEquals("invalid_input", api.send("GET", "/servers/abc", null).code());
        assertEquals("invalid_input", api.send("GET", "/servers?page=0", null).code());
        assertEquals("invalid_input", api.send("GET", "/servers?label_selector=a%3D%28", null).code());
    }

    @Test
    void firewallRulesAreCheckedLikeTheApiDoes() {
        for (String rule : List.of(
                "{\"direction\":\"in\",\"protocol\":\"tcp\",\"source_ips\":[\"0.0.0.0/0\"]}",
                "{\"direction\":\"in\",\"protocol\":\"icmp\",\"port\":\"22\",\"source_ips\":[\"0.0.0.0/0\"]}",
                "{\"direction\":\"in\",\"protocol\":\"udp\",\"port\":\"53\"}",
                "{\"direction\":\"out\",\"protocol\":\"udp\",\"port\":\"53\",\"source_ips\":[\"0.0.0.0/0\"]}",
                "{\"direction\":\"sideways\",\"protocol\":\"udp\",\"port\":\"53\",\"source_ips\":[\"0.0.0.0/0\"]}",
                "{\"direction\":\"in\",\"protocol\":\"udp\",\"port\":\"53\",\"source_ips\":[\"everyone\"]}")) {
            RawApi.Answer answer = api.send("POST", "/firewalls", "{\"name\":\"fw\",\"rules\":[" + rule + "]}");
            assertEquals(400, answer.status(), rule);
            assertEquals("invalid_input", answer.code(), rule);
        }
        assertEquals(201, api.send("POST", "/firewalls", "{\"name\":\"fw\"}").status());
        assertEquals("uniqueness_error", api.send("POST", "/firewalls", "{\"name\":\"fw\"}").code());
    }

    @Test
    void referencesMayBeJsonNumbersAsTheOfficialClientsSendThem() {
        // The OpenAPI file says string; hcloud-go and hcloud-python send the id as a number.
        RawApi.Answer answer = create("{\"name\":\"by-number\",\"server_type\":114,\"image\":161547269,\"location\":1}");

        assertEquals(201, answer.status(), answer.body());
        assertEquals("cx23", h.sim.servers().get(0).serverType());
        assertEquals("invalid_input", create("{\"name\":\"b\",\"server_type\":1.5,\"image\":161547269}").code());
    }

    @Test
    void filterValuesAndSortsTheApiDoesNotKnowAreInvalidInput() {
        for (String query : List.of("/servers?status=bogus", "/servers?sort=color", "/servers?sort=name:up",
                "/images?status=bogus", "/images?type=iso", "/images?sort=size", "/images?architecture=riscv",
                "/images?include_deprecated=maybe", "/firewalls?sort=rules", "/locations?sort=created",
                "/datacenters?sort=city", "/ssh_keys?sort=fingerprint", "/actions?id=x")) {
            RawApi.Answer answer = api.send("GET", query, null);
            assertEquals(400, answer.status(), query);
            assertEquals("invalid_input", answer.code(), query);
        }
        // Listing every action was removed from the API in 2025.
        RawApi.Answer allActions = api.send("GET", "/actions", null);
        assertEquals(410, allActions.status());
        assertEquals("deprecated_api_endpoint", allActions.code());
        Map<String, Object> error = (Map<String, Object>) api.send("GET", "/servers?status=bogus", null).json().get("error");
        assertEquals("invalid input in field 'status'", error.get("message"));
        assertEquals(200, api.send("GET", "/servers?status=running&sort=name:desc&sort=id", null).status());
    }

    @Test
    void anUpdateIsCheckedLikeACreate() {
        long id = h.sim.addServer("vm", Map.of()).id();
        for (String body : List.of("{\"name\":\"under_score\"}", "{\"labels\":{\"k\":\"-bad\"}}", "{\"labels\":[]}")) {
            assertEquals("invalid_input", api.send("PUT", "/servers/" + id, body).code(), body);
        }
        assertEquals("json_error", api.send("PUT", "/servers/" + id, "{").code());
        assertEquals("vm", h.sim.server(id).orElseThrow().name());
    }
}
