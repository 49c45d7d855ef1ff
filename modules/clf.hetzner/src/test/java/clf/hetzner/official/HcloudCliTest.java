package clf.hetzner.official;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.hetzner.sim.HetznerSimulator;
import clf.hetzner.sim.SimServer;
import clf.testing.HostTool;
import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hetzner's own CLI against the simulator, for every call it makes that clf's users will make:
 * servers (create by name and by ID, list by label, describe, labels, power, delete), the
 * catalogue (images, server types with cx22's deprecation, locations, data centers), SSH keys and
 * firewalls. Every exchange is checked against the OpenAPI file ({@link OfficialClientRig}).
 */
class HcloudCliTest {
    @TempDir
    Path home;
    private OfficialClientRig rig;
    private HcloudCli hcloud;

    @BeforeEach
    void start() {
        rig = new OfficialClientRig();
        hcloud = new HcloudCli(rig, home);
    }

    @AfterEach
    void close() {
        rig.close();
    }

    private SimServer server(String name) {
        return rig.sim.servers().stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no server " + name + " in " + rig.sim.servers()));
    }

    @Test
    void createsByNameWaitsForItsActionsAndManagesTheServer() {
        String created = hcloud.ok("server", "create", "--name", "cli-1", "--type", "cx23", "--image", "ubuntu-24.04",
                "--location", "nbg1", "--label", "role=cli");

        assertTrue(created.contains("Server " + server("cli-1").id() + " created"), created);
        SimServer server = server("cli-1");
        assertEquals(List.of("cx23", "ubuntu-24.04", "nbg1", "running"),
                List.of(server.serverType(), server.image(), server.location(), server.status()));
        assertEquals(List.of("cli-1 running"), lines(hcloud.ok("server", "list", "-l", "role=cli", "-o", "noheader",
                "-o", "columns=name,status")));
        assertEquals("", hcloud.ok("server", "list", "-l", "role=other", "-o", "noheader"));
        String described = hcloud.ok("server", "describe", "cli-1");
        assertTrue(described.contains("Server Type:\tcx23 (ID: 114)"), described);
        assertTrue(described.contains("Location:\n") && described.contains("nbg1"), described);

        hcloud.ok("server", "add-label", "cli-1", "team=blue");
        assertEquals(Map.of("role", "cli", "team", "blue"), server("cli-1").labels());
        hcloud.ok("server", "remove-label", "cli-1", "team");
        assertEquals(Map.of("role", "cli"), server("cli-1").labels());

        hcloud.ok("server", "poweroff", "cli-1");
        assertEquals("off", server("cli-1").status());
        hcloud.ok("server", "poweron", "cli-1");
        assertEquals("running", server("cli-1").status());
        hcloud.ok("server", "shutdown", "cli-1");
        assertEquals("off", server("cli-1").status());

        assertTrue(hcloud.ok("server", "delete", "cli-1").contains("Server cli-1 deleted"));
        assertEquals("deleting", rig.sim.servers().get(0).status());
    }

    @Test
    void createsByNumericIdsOfTypeImageAndLocation() {
        hcloud.ok("server", "create", "--name", "cli-ids", "--type", "114", "--image",
                Long.toString(HetznerSimulator.DEV_SNAPSHOT_ID), "--location", "2");

        SimServer server = server("cli-ids");
        assertEquals(List.of("cx23", Long.toString(HetznerSimulator.DEV_SNAPSHOT_ID), "nbg1"),
                List.of(server.serverType(), server.image(), server.location()));
    }

    @Test
    void refusesWhatHetznerRefusesWithItsErrors() {
        HostTool.Result cx22 = hcloud.run("server", "create", "--name", "old", "--type", "cx22", "--image", "ubuntu-24.04");
        assertEquals(1, cx22.exitCode(), cx22.toString());
        assertEquals("hcloud: unsupported location for server type (invalid_input)\n", cx22.err());

        HostTool.Result type = hcloud.run("server", "create", "--name", "x", "--type", "cx99", "--image", "ubuntu-24.04");
        assertEquals("hcloud: server type 'cx99' not found (invalid_input)\n", type.err());
        HostTool.Result location = hcloud.run("server", "create", "--name", "x", "--type", "cx23", "--image",
                "ubuntu-24.04", "--location", "mars1");
        assertEquals("hcloud: location 'mars1' not found (invalid_input)\n", location.err());
        // hcloud looks images up by name itself and stops before creating anything.
        HostTool.Result image = hcloud.run("server", "create", "--name", "x", "--type", "cx23", "--image", "clf-cattle-2026-11");
        assertEquals(1, image.exitCode(), image.toString());
        assertTrue(image.err().contains("image not found: clf-cattle-2026-11"), image.toString());
        assertEquals(List.of(), rig.sim.servers());
    }

    @Test
    void listsAndDescribesTheSnapshotsSpawnsUse() {
        long newer = rig.sim.addSnapshot("clf-cattle-next", Map.of("role", "clf-cattle"), java.time.Instant.now());

        String snapshots = hcloud.ok("image", "list", "-t", "snapshot", "-l", "role=clf-cattle", "-o", "noheader",
                "-o", "columns=id,type,name,description");
        assertEquals(List.of(HetznerSimulator.DEV_SNAPSHOT_ID + " snapshot - clf-cattle-dev",
                newer + " snapshot - clf-cattle-next"), lines(snapshots));
        String described = hcloud.ok("image", "describe", Long.toString(HetznerSimulator.DEV_SNAPSHOT_ID));
        assertTrue(described.contains("Type:\t\tsnapshot") && described.contains("Description:\tclf-cattle-dev"), described);
        assertTrue(lines(hcloud.ok("image", "list", "-t", "system", "-o", "noheader", "-o", "columns=name"))
                .contains("debian-13"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void showsTheServerTypesWithCx22sDeprecation() throws IOException {
        List<String> types = lines(hcloud.ok("server-type", "list", "-o", "noheader", "-o", "columns=name"));
        assertTrue(types.containsAll(List.of("cx22", "cx23", "cx33", "cpx22", "cax11")), types.toString());
        String text = hcloud.ok("server-type", "describe", "cx22");
        assertTrue(text.contains("Name:\t\tcx22") && text.contains("Cores:\t\t2"), text);

        // Debian's hcloud 1.30.3 predates deprecation in its text output (hetznercloud/cli PR 490,
        // 2023); its JSON output is the API's object, where the deprecation is Hetzner's.
        Map<String, Object> json = JSON.std.mapFrom(hcloud.ok("server-type", "describe", "cx22", "-o", "json"));
        Map<String, Object> deprecation = Map.of("announced", "2025-10-16T00:00:00Z",
                "unavailable_after", "2025-12-31T00:00:00Z");
        assertEquals(true, json.get("deprecated"));
        assertEquals(deprecation, json.get("deprecation"));
        for (Map<String, Object> location : (List<Map<String, Object>>) json.get("locations")) {
            assertEquals(deprecation, location.get("deprecation"), location.toString());
        }
    }

    @Test
    void listsLocationsDatacentersSshKeysAndFirewalls() {
        assertEquals(List.of("fsn1", "nbg1", "hel1", "ash", "hil", "sin"),
                lines(hcloud.ok("location", "list", "-o", "noheader", "-o", "columns=name")));
        assertTrue(lines(hcloud.ok("datacenter", "list", "-o", "noheader", "-o", "columns=name")).contains("fsn1-dc14"));
        assertEquals("", hcloud.ok("ssh-key", "list", "-o", "noheader"));
        hcloud.ok("firewall", "create", "--name", "clf-cattle-base");
        assertEquals(List.of("clf-cattle-base"), lines(hcloud.ok("firewall", "list", "-o", "noheader", "-o", "columns=name")));
        assertEquals(1, rig.sim.firewalls().size());
        String firewall = hcloud.ok("firewall", "describe", "clf-cattle-base");
        assertTrue(firewall.contains("ID:\t\t" + rig.sim.firewalls().get(0).id()), firewall);
    }

    private static List<String> lines(String text) {
        return text.lines().map(String::strip).map(line -> line.replaceAll("\\s+", " ")).filter(l -> !l.isEmpty()).toList();
    }
}
