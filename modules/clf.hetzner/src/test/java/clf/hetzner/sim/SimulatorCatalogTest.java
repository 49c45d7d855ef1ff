package clf.hetzner.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.hetzner.testing.FakeTime;
import clf.hetzner.testing.RawApi;
import clf.hetzner.testing.SimHarness;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The simulator's catalogue (server types with deprecations, images, locations, data centers) and
 * the create checks it drives. Every request here is valid, so requests and answers are both
 * checked against the OpenAPI file. The fake clock starts on 2026-01-01, after cx22's
 * {@code unavailable_after}.
 */
class SimulatorCatalogTest {
    private final SimHarness h = new SimHarness();
    private final RawApi api = new RawApi(h.sim.baseUrl());

    @AfterEach
    void close() {
        h.close();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(RawApi.Answer answer, String key) {
        assertEquals(200, answer.status(), answer.body());
        return (List<Map<String, Object>>) answer.json().get(key);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Map<String, Object> json, String key) {
        return (Map<String, Object>) json.get(key);
    }

    private RawApi.Answer create(String type, String image, String location) {
        String body = "{\"name\":\"vm-" + System.nanoTime() + "\",\"server_type\":\"" + type + "\",\"image\":\"" + image + "\""
                + (location == null ? "" : ",\"location\":\"" + location + "\"") + "}";
        return api.send("POST", "/servers", body);
    }

    @Test
    void cx22IsListedDeprecatedInEveryLocationAndTypeWide() {
        Map<String, Object> cx22 = list(api.send("GET", "/server_types?name=cx22", null), "server_types").get(0);

        Map<String, Object> expected = Map.of("announced", "2025-10-16T00:00:00Z", "unavailable_after", "2025-12-31T00:00:00Z");
        assertEquals(true, cx22.get("deprecated"));
        assertEquals(expected, cx22.get("deprecation"));
        List<Map<String, Object>> locations = (List<Map<String, Object>>) cx22.get("locations");
        assertEquals(List.of("fsn1", "nbg1", "hel1"), locations.stream().map(l -> l.get("name")).toList());
        locations.forEach(location -> assertEquals(expected, location.get("deprecation")));
        Map<String, Object> cx23 = list(api.send("GET", "/server_types?name=cx23", null), "server_types").get(0);
        assertEquals(false, cx23.get("deprecated"));
        assertNull(cx23.get("deprecation"));
        assertEquals(List.of(2, 4, 40, "x86"), List.of(cx23.get("cores"), cx23.get("memory"), cx23.get("disk"),
                cx23.get("architecture")));
    }

    @Test
    void aServerTypePastUnavailableAfterIsRefusedAsHetznerDoes() {
        RawApi.Answer refused = create("cx22", "ubuntu-24.04", "nbg1");

        assertEquals(400, refused.status());
        assertEquals("invalid_input", refused.code());
        assertEquals("unsupported location for server type", object(refused.json(), "error").get("message"));
        assertEquals(0, h.sim.servers().size());
    }

    @Test
    void aDeprecatedTypeStaysOrderableUntilItsDateByTheSimulatorsClock() {
        Instant tomorrow = FakeTime.START.plus(Duration.ofDays(1));
        h.sim.deprecateServerType("cx23", FakeTime.START.minus(Duration.ofDays(30)), tomorrow);

        assertEquals(201, create("cx23", "ubuntu-24.04", null).status());
        Map<String, Object> type = list(api.send("GET", "/server_types?name=cx23", null), "server_types").get(0);
        assertEquals("2026-01-02T10:00:00Z", object(type, "deprecation").get("unavailable_after"));

        h.time.advance(Duration.ofDays(2));
        assertEquals("invalid_input", create("cx23", "ubuntu-24.04", null).code());
        assertThrows(IllegalArgumentException.class, () -> h.sim.deprecateServerType("cx99", tomorrow, tomorrow));
    }

    @Test
    void aTypeNotSoldInTheLocationIsRefused() {
        RawApi.Answer arm = create("cax11", "ubuntu-24.04", "ash");

        assertEquals(400, arm.status());
        assertEquals("unsupported location for server type", object(arm.json(), "error").get("message"));
        assertEquals(201, create("cpx22", "ubuntu-24.04", "ash").status());
    }

    @Test
    void unknownTypeImageAndLocationAreInvalidInputNamingThem() {
        for (List<String> refused : List.of(
                List.of("cx99", "ubuntu-24.04", "nbg1", "server_type", "server type 'cx99' not found"),
                List.of("cx23", "clf-cattle-2026-11", "nbg1", "image", "image 'clf-cattle-2026-11' not found"),
                List.of("cx23", "999", "nbg1", "image", "image '999' not found"),
                List.of("cx23", "ubuntu-24.04", "mars1", "location", "location 'mars1' not found"))) {
            RawApi.Answer answer = create(refused.get(0), refused.get(1), refused.get(2));
            assertEquals(400, answer.status(), refused.toString());
            assertEquals("invalid_input", answer.code());
            assertEquals(refused.get(4), object(answer.json(), "error").get("message"));
            Map<String, Object> field = ((List<Map<String, Object>>) object(object(answer.json(), "error"), "details")
                    .get("fields")).get(0);
            assertEquals(refused.get(3), field.get("name"));
        }
        assertEquals(0, h.sim.servers().size());
    }

    @Test
    void typeImageAndLocationMayBeGivenByNumericId() {
        RawApi.Answer created = create("114", Long.toString(h.sim.devSnapshotId()), "2");

        assertEquals(201, created.status(), created.body());
        Map<String, Object> server = object(created.json(), "server");
        assertEquals("cx23", object(server, "server_type").get("name"));
        assertEquals("nbg1", object(server, "location").get("name"));
        Map<String, Object> image = object(server, "image");
        assertEquals(HetznerSimulator.DEV_SNAPSHOT_ID, ((Number) image.get("id")).longValue());
        assertNull(image.get("name"));
        assertEquals(Map.of("role", "clf-cattle"), image.get("labels"));
    }

    @Test
    void anImageNameResolvesToTheImageForTheTypesArchitecture() {
        Map<String, Object> arm = object(object(create("cax11", "ubuntu-24.04", "fsn1").json(), "server"), "image");
        Map<String, Object> x86 = object(object(create("cx23", "ubuntu-24.04", "fsn1").json(), "server"), "image");

        assertEquals("arm", arm.get("architecture"));
        assertEquals("x86", x86.get("architecture"));
        assertEquals("invalid_input", create("cax11", Long.toString(h.sim.devSnapshotId()), "fsn1").code());
    }

    @Test
    void everySimulatorHasTheDevSnapshotAndTestsAddMore() {
        long newer = h.sim.addSnapshot("clf-cattle-2026-12", Map.of("role", "clf-cattle", "gen", "2"),
                Instant.parse("2026-12-01T00:00:00Z"));

        List<Map<String, Object>> snapshots = list(api.send("GET",
                "/images?type=snapshot&label_selector=role%3Dclf-cattle&status=available&sort=created:desc", null), "images");
        assertEquals(List.of(newer, HetznerSimulator.DEV_SNAPSHOT_ID),
                snapshots.stream().map(image -> ((Number) image.get("id")).longValue()).toList());
        Map<String, Object> dev = object(api.send("GET", "/images/" + h.sim.devSnapshotId(), null).json(), "image");
        assertEquals("clf-cattle-dev", dev.get("description"));
        assertNull(dev.get("name"));
        assertEquals("snapshot", dev.get("type"));
        assertEquals("available", dev.get("status"));
        assertEquals(List.of(newer), list(api.send("GET", "/images?label_selector=gen%3D2", null), "images").stream()
                .map(image -> ((Number) image.get("id")).longValue()).toList());
    }

    @Test
    void systemImagesAreListedByNameAndTypeAndPaged() {
        List<Map<String, Object>> ubuntu = list(api.send("GET", "/images?type=system&name=ubuntu-24.04", null), "images");
        assertEquals(List.of("x86", "arm"), ubuntu.stream().map(image -> image.get("architecture")).toList());
        List<Map<String, Object>> names = list(api.send("GET", "/images?type=system&sort=name:desc&architecture=x86", null),
                "images");
        assertEquals("ubuntu-24.04", names.get(0).get("name"));

        RawApi.Answer first = api.send("GET", "/images?type=system&per_page=1", null);
        Map<String, Object> pagination = object(object(first.json(), "meta"), "pagination");
        assertEquals(1, list(first, "images").size());
        assertEquals(2, pagination.get("next_page"));
        assertEquals(10, pagination.get("last_page"));
        assertEquals(10, pagination.get("total_entries"));
    }

    @Test
    void locationsAndDatacentersWithTheTypesSoldThere() {
        List<Map<String, Object>> locations = list(api.send("GET", "/locations?sort=name", null), "locations");
        assertEquals(List.of("ash", "fsn1", "hel1", "hil", "nbg1", "sin"), locations.stream().map(l -> l.get("name")).toList());
        assertEquals("nbg1", object(api.send("GET", "/locations/2", null).json(), "location").get("name"));

        RawApi.Answer datacenters = api.send("GET", "/datacenters", null);
        assertEquals(List.of("nbg1-dc3", "hel1-dc2", "fsn1-dc14", "ash-dc1", "hil-dc1", "sin-dc1"),
                list(datacenters, "datacenters").stream().map(dc -> dc.get("name")).toList());
        Map<String, Object> fsn = list(datacenters, "datacenters").get(2);
        Map<String, Object> types = object(fsn, "server_types");
        assertTrue(((List<?>) types.get("supported")).contains(104), "cx22 is supported: " + types);
        assertTrue(!((List<?>) types.get("available")).contains(104), "but no longer available: " + types);
        assertTrue(((List<?>) types.get("available")).contains(114), "cx23 is available: " + types);
        assertEquals("ash-dc1", object(api.send("GET", "/datacenters/5", null).json(), "datacenter").get("name"));
        assertEquals(104, object(api.send("GET", "/server_types/104", null).json(), "server_type").get("id"));
        assertEquals(404, api.send("GET", "/server_types/1", null).status());
    }

    @Test
    void sshKeysAreAnEmptyList() {
        assertEquals(List.of(), list(api.send("GET", "/ssh_keys?sort=name", null), "ssh_keys"));
    }
}
