package clf.hetzner.official;

import static org.junit.jupiter.api.Assertions.assertEquals;

import clf.hetzner.sim.HetznerSimulator;
import clf.testing.HostTool;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hetzner's Python client (Debian python3-hcloud 1.18.2, run with the system's
 * {@code /usr/bin/python3}, whose dist-packages hold it) against the simulator: the script
 * {@code official/hcloud_python_check.py} creates servers by name and by ID and waits for their
 * actions, pages with {@code per_page=1}, filters by labels, reads the catalogue, updates,
 * powers and deletes, and checks Hetzner's refusals. Every exchange is checked against the
 * OpenAPI file.
 */
class HcloudPythonTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final List<String> CHECKS = List.of("server_types", "locations", "datacenters", "images",
            "ssh_keys_and_firewalls", "create", "pagination", "update", "power", "refusals", "delete");

    @TempDir
    Path dir;

    @Test
    void theOfficialPythonClientDoesEverythingClfsUsersDo() throws IOException {
        HostTool.require(Files.isExecutable(PYTHON)
                && HostTool.run(Map.of(), Duration.ofSeconds(30), List.of(PYTHON.toString(), "-c", "import hcloud"))
                .exitCode() == 0, "python3-hcloud for /usr/bin/python3 (Debian package python3-hcloud)");
        Path script = dir.resolve("hcloud_python_check.py");
        try (InputStream in = getClass().getResourceAsStream("/official/hcloud_python_check.py")) {
            Files.write(script, in.readAllBytes());
        }

        try (OfficialClientRig rig = new OfficialClientRig()) {
            HostTool.Result result = HostTool.run(Map.of("HCLOUD_ENDPOINT", rig.sim.baseUrl().toString(),
                            "HCLOUD_TOKEN", OfficialClientRig.TOKEN,
                            "DEV_SNAPSHOT_ID", Long.toString(HetznerSimulator.DEV_SNAPSHOT_ID),
                            "PYTHONDONTWRITEBYTECODE", "1"),
                    Duration.ofSeconds(120), List.of(PYTHON.toString(), script.toString()));

            assertEquals(0, result.exitCode(), result.toString());
            assertEquals(CHECKS.stream().map(check -> "ok " + check).toList(), result.out().lines().toList(),
                    result.toString());
            assertEquals(List.of(), rig.sim.servers());
        }
    }
}
