package clf.hetzner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.hetzner.internal.Json;
import clf.hetzner.sim.SimExchange;
import clf.hetzner.sim.SimServer;
import clf.hetzner.testing.SimHarness;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Contract of the server calls against the simulator; every exchange is checked against the OpenAPI file. */
class ServerCallsTest {
    private final SimHarness h = new SimHarness();
    private final HetznerClient client = h.client();

    @AfterEach
    void close() {
        h.close();
    }

    private static ServerSpec spec(String name) {
        return new ServerSpec(name, "cx23", "ubuntu-24.04", "nbg1", "#cloud-config\n", Map.of("job", "j1"), List.of());
    }

    @Test
    void createsServerWithTheFieldsOfSpec39AndNothingElse() {
        CreatedServer created = client.createServer(spec("cattle-a-1"));

        assertFalse(created.adopted());
        Server server = created.server();
        assertEquals("cattle-a-1", server.name());
        assertEquals(ServerStatus.INITIALIZING, server.status());
        assertEquals(Map.of("job", "j1"), server.labels());
        assertEquals("nbg1", server.location());
        assertEquals("cx23", server.serverType());
        assertFalse(server.ipv4().isEmpty());

        SimServer stored = h.sim.server(server.id()).orElseThrow();
        assertEquals("#cloud-config\n", stored.userData());
        SimExchange post = h.sim.exchanges().stream().filter(e -> "POST /servers".equals(e.route())).findFirst().orElseThrow();
        assertEquals(List.of("name", "server_type", "image", "location", "user_data", "labels"),
                List.copyOf(Json.parseObject(post.requestBody()).keySet()));
        assertEquals(1, h.spec.exchanges()); // and the OpenAPI observer saw it
    }

    @Test
    void sendsFirewallsAsObjectsWithTheirId() {
        long firewallId = client.createFirewall("base", List.of(), Map.of()).id();
        ServerSpec spec = new ServerSpec("with-fw", "cx23", "ubuntu-24.04", null, null, Map.of(), List.of(firewallId));

        Server server = client.createServer(spec).server();

        assertEquals(List.of(firewallId), h.sim.server(server.id()).orElseThrow().firewallIds());
        assertEquals(List.of(server.id()), h.sim.firewalls().get(0).appliedTo());
    }

    @Test
    void getsServerAndSeesItBoot() {
        long id = client.createServer(spec("booting")).server().id();
        assertEquals(ServerStatus.INITIALIZING, client.getServer(id).orElseThrow().status());

        h.time.advance(Duration.ofSeconds(5));

        assertEquals(ServerStatus.RUNNING, client.getServer(id).orElseThrow().status());
    }

    @Test
    void getOfUnknownServerIsEmpty() {
        assertTrue(client.getServer(4242).isEmpty());
    }

    @Test
    void findsServerByExactName() {
        h.sim.addServer("alpha", Map.of());
        h.sim.addServer("alpha-2", Map.of());

        assertEquals("alpha", client.findServerByName("alpha").orElseThrow().name());
        assertTrue(client.findServerByName("beta").isEmpty());
        assertTrue(h.sim.exchanges().stream().anyMatch(e -> e.rawQuery().contains("name=alpha")));
    }

    @Test
    void listsServersBySelector() {
        h.sim.addServer("a", Map.of("managed-by", "clf", "cattle", "true"));
        h.sim.addServer("b", Map.of("managed-by", "clf"));
        h.sim.addServer("c", Map.of());

        assertEquals(List.of("a"), names(client.listServers("managed-by=clf,cattle=true")));
        assertEquals(List.of("a", "b", "c"), names(client.listServers(null)));
    }

    @Test
    void deleteThenDeleteAgainIsAlreadyGone() {
        long id = client.createServer(spec("doomed")).server().id();

        assertEquals(DeleteOutcome.DELETED, client.deleteServer(id));
        assertEquals(ServerStatus.DELETING, client.getServer(id).orElseThrow().status());
        h.time.advance(Duration.ofSeconds(1));

        assertEquals(DeleteOutcome.ALREADY_GONE, client.deleteServer(id));
        assertTrue(client.getServer(id).isEmpty());
    }

    @Test
    void nameConflictAdoptsTheServerAnEarlierAttemptCreated() {
        Server first = client.createServer(spec("twice")).server();

        CreatedServer second = client.createServer(spec("twice"));

        assertTrue(second.adopted());
        assertEquals(first.id(), second.server().id());
        assertEquals(1, h.sim.servers().size());
    }

    @Test
    void nameConflictWithAForeignServerIsThrown() {
        h.sim.addServer("taken", Map.of("job", "someone-else"));

        HetznerApiException e = assertThrows(HetznerApiException.class, () -> client.createServer(spec("taken")));

        assertEquals(409, e.status());
        assertEquals("uniqueness_error", e.code());
        assertFalse(e.retryable());
    }

    @Test
    void nameConflictWithADeletingServerIsThrown() {
        long id = client.createServer(spec("going")).server().id();
        client.deleteServer(id);

        HetznerApiException e = assertThrows(HetznerApiException.class, () -> client.createServer(spec("going")));
        assertEquals("uniqueness_error", e.code());
    }

    @Test
    void invalidRequestIsNotRetried() {
        ServerSpec badName = new ServerSpec("not_a_hostname", "cx23", "ubuntu-24.04", null, null, Map.of(), List.of());

        HetznerApiException e = assertThrows(HetznerApiException.class, () -> client.createServer(badName));

        assertEquals(400, e.status());
        assertEquals("invalid_input", e.code());
        assertEquals(1, h.sim.count("POST /servers"));
    }

    @Test
    void wrongTokenIsUnauthorizedAndNotRetried() {
        HetznerClient stranger = HetznerClient.create(h.config(), () -> "other-token", h.time, h.time);

        HetznerApiException e = assertThrows(HetznerApiException.class, () -> stranger.listServers(null));

        assertEquals(401, e.status());
        assertEquals("unauthorized", e.code());
        assertEquals(1, h.sim.count("GET /servers"));
    }

    @Test
    void blankTokenFailsBeforeAnyRequest() {
        HetznerClient none = HetznerClient.create(h.config(), () -> " ", h.time, h.time);

        assertThrows(IllegalStateException.class, () -> none.listServers(null));
        assertEquals(0, h.sim.exchanges().size());
    }

    static List<String> names(List<Server> servers) {
        return servers.stream().map(Server::name).sorted().toList();
    }
}
