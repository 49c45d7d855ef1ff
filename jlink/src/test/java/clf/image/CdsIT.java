package clf.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The CDS archives exist and are mapped: classes come from the "shared objects file". */
class CdsIT {

    private static final Map<String, String> SHARED_AND_LOGGED =
            Map.of("CLF_JAVA_OPTS", "-Xshare:on -Xlog:class+load=info");

    @Test
    void archivesExist() {
        for (String archive : new String[] {"server/classes.jsa", "clf-cli.jsa", "clf-orchestrator.jsa"}) {
            assertTrue(Files.isRegularFile(Image.HOME.resolve("lib").resolve(archive)), archive);
        }
    }

    @Test
    void cliLoadsPicocliAndItselfFromItsStaticAppCdsArchive() throws Exception {
        // -Xshare:on makes the JVM fail instead of silently running without the archive.
        // --help builds the command tree (--version alone answers before picocli loads).
        Image.Result result = Image.run(SHARED_AND_LOGGED, "clf", "--help");
        assertEquals(0, result.exitCode(), result.toString());
        assertTrue(result.out().contains("clf.cli.Main source: shared objects file"), result.toString());
        assertTrue(result.out().contains("picocli.CommandLine source: shared objects file"), result.toString());
        assertTrue(result.out().contains("java.lang.Object source: shared objects file"), result.toString());
    }

    @Test
    void orchestratorLoadsFromItsAppCdsArchive() throws Exception {
        Image.Result result = Image.run(SHARED_AND_LOGGED, "clf-orchestrator", "--version");
        assertEquals(0, result.exitCode(), result.toString());
        assertTrue(result.out().contains("clf.server.Main source: shared objects file (top)"), result.toString());
    }
}
