package clf.hetzner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import clf.hetzner.testing.SimHarness;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PaginationTest {
    private final SimHarness h = new SimHarness();

    @AfterEach
    void close() {
        h.close();
    }

    private void addServers(int count) {
        for (int i = 1; i <= count; i++) {
            h.sim.addServer(String.format("s-%03d", i), Map.of("cattle", "true"));
        }
    }

    @Test
    void readsEveryPage() {
        addServers(120);

        List<Server> servers = h.client().listServers("cattle=true");

        assertEquals(120, servers.size());
        assertEquals(120, servers.stream().map(Server::id).distinct().count());
        assertEquals(3, h.sim.count("GET /servers")); // 50 + 50 + 20
    }

    @Test
    void honoursTheConfiguredPageSize() {
        addServers(7);

        assertEquals(7, h.client(h.config().withPageSize(3)).listServers(null).size());
        assertEquals(3, h.sim.count("GET /servers"));
    }

    @Test
    void anEmptyListIsOnePage() {
        assertEquals(List.of(), h.client().listServers(null));
        assertEquals(1, h.sim.count("GET /servers"));
    }

    /** Documented choice: a partial list could hide servers from reap and instance counting. */
    @Test
    void aNextPageThatDoesNotAdvanceIsAnErrorNotALoop() {
        addServers(60);
        h.sim.setStuckPagination(true);

        HetznerResponseException e = assertThrows(HetznerResponseException.class, () -> h.client().listServers(null));

        assertEquals("GET /servers?page=1&per_page=50: pagination does not advance: page 1 names next_page 1",
                e.getMessage());
        assertFalse(e.retryable());
        assertEquals(1, h.sim.count("GET /servers"));
    }
}
