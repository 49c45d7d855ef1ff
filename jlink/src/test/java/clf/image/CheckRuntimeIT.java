package clf.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * clf-orchestrator --check-runtime in the image, with an unusable java.io.tmpdir: both
 * native libraries (junixsocket, SQLite) must load from the image, as on a hardened host.
 */
class CheckRuntimeIT {

    @Test
    void everyCheckPassesWithoutATempDir(@TempDir Path dir) throws Exception {
        Image.Result result = Image.run(Map.of("CLF_JAVA_OPTS", "-Djava.io.tmpdir=/nonexistent-dir-xyz"),
                "clf-orchestrator", "--check-runtime", dir.toString());
        assertEquals(0, result.exitCode(), result.toString());
        List<String> lines = result.outLines();
        assertEquals(List.of("ok sqlite", "ok unix-socket", "ok undertow", "ok json"),
                lines.stream().map(line -> String.join(" ", List.of(line.split(" ")).subList(0, 2))).toList(),
                result.toString());
        assertFalse(Files.exists(dir.resolve("check")), "scratch dir left behind\n" + result);
    }

    @Test
    void launcherExecsTheJvm(@TempDir Path dir) throws Exception {
        // The socket's peer is the JVM itself; it must be the launcher's pid (systemd's
        // LISTEN_PID check depends on it).
        Image.Result result = Image.run("clf-orchestrator", "--check-runtime", dir.toString());
        assertEquals(0, result.exitCode(), result.toString());
        String socketLine = result.outLines().stream()
                .filter(line -> line.startsWith("ok unix-socket")).findFirst().orElseThrow();
        assertEquals("(peer pid " + result.pid() + ")", socketLine.substring(socketLine.indexOf('(')), result.toString());
    }
}
