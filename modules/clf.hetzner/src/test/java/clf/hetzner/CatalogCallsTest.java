package clf.hetzner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.hetzner.sim.HetznerSimulator;
import clf.hetzner.testing.SimHarness;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Contract of the catalog calls against the simulator; every exchange is checked against the OpenAPI file. */
class CatalogCallsTest {
    private final SimHarness h = new SimHarness();
    private final HetznerClient client = h.client(h.config().withPageSize(5));

    @AfterEach
    void close() {
        h.close();
    }

    @Test
    void serverTypesCarryTheirDeprecationPerLocationAcrossPages() {
        List<ServerType> types = client.listServerTypes();

        assertTrue(types.size() > 5, "more than one page of 5: " + types.size());
        ServerType cx22 = types.stream().filter(t -> t.name().equals("cx22")).findFirst().orElseThrow();
        Deprecation deprecation = cx22.offerIn("nbg1").orElseThrow().deprecation();
        assertEquals(Instant.parse("2025-10-16T00:00:00Z"), deprecation.announced());
        assertEquals(Instant.parse("2025-12-31T00:00:00Z"), deprecation.unavailableAfter());
        assertTrue(deprecation.unavailableAt(Instant.parse("2026-01-01T00:00:00Z")));
        ServerType cx23 = types.stream().filter(t -> t.name().equals("cx23")).findFirst().orElseThrow();
        assertNull(cx23.offerIn("nbg1").orElseThrow().deprecation());
        assertEquals("x86", cx23.architecture());
        assertTrue(cx23.offerIn("sin").isEmpty(), "cx23 is sold in the EU only");
    }

    @Test
    void locationsAreListedByName() {
        List<String> names = client.listLocations().stream().map(Location::name).toList();

        assertTrue(names.containsAll(List.of("fsn1", "nbg1", "hel1")), names.toString());
    }

    @Test
    void snapshotsAreFoundByLabelsNewestFirstAndHaveNoName() {
        long older = h.sim.addSnapshot("clf-cattle 2026-10", Map.of("role", "clf-cattle"), Instant.parse("2026-10-01T00:00:00Z"));
        long newer = h.sim.addSnapshot("clf-cattle 2026-11", Map.of("role", "clf-cattle"), Instant.parse("2026-11-01T00:00:00Z"));
        h.sim.addSnapshot("other", Map.of("role", "something-else"), Instant.parse("2026-11-02T00:00:00Z"));

        List<Image> found = client.listImages(ImageFilter.newestSnapshots("role=clf-cattle"));

        List<Long> ids = found.stream().map(Image::id).toList();
        assertEquals(newer, ids.get(0), "newest first: " + found);
        assertTrue(ids.contains(older) && ids.contains(HetznerSimulator.DEV_SNAPSHOT_ID), ids.toString());
        assertEquals(3, ids.size(), "the other label stays out: " + found);
        Image image = found.get(0);
        assertNull(image.name());
        assertEquals("snapshot", image.type());
        assertTrue(image.available());
        assertEquals(Map.of("role", "clf-cattle"), image.labels());
        assertEquals("clf-cattle 2026-11", image.description());
        String query = h.sim.exchanges().stream().filter(e -> "GET /images".equals(e.route())).findFirst().orElseThrow()
                .rawQuery();
        assertTrue(query.contains("type=snapshot") && query.contains("status=available")
                && query.contains("sort=created%3Adesc") && query.contains("label_selector=role%3Dclf-cattle"), query);
    }

    @Test
    void systemImagesHaveNamesAndAnImageIsFoundByIdOrNotAtAll() {
        List<Image> system = client.listImages(new ImageFilter("system", null, null, null));

        Image ubuntu = system.stream().filter(i -> "ubuntu-24.04".equals(i.name())).findFirst().orElseThrow();
        assertEquals(ubuntu, client.getImage(ubuntu.id()).orElseThrow());
        assertFalse(client.getImage(987_654_321L).isPresent());
    }

    @Test
    void aServerNamesTheImageItWasMadeFrom() {
        Server server = client.createServer(new ServerSpec("from-snapshot", "cx23",
                Long.toString(HetznerSimulator.DEV_SNAPSHOT_ID), "nbg1", null, Map.of(), List.of())).server();

        assertEquals(HetznerSimulator.DEV_SNAPSHOT_ID, server.imageId());
        assertEquals(HetznerSimulator.DEV_SNAPSHOT_ID, client.getServer(server.id()).orElseThrow().imageId());
    }
}
