package clf.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The three launchers in bin/ start the right module and report the build's version. */
class LaunchersIT {

    @Test
    void clfVersion() throws Exception {
        Image.Result result = Image.run("clf", "--version");
        assertEquals(0, result.exitCode(), result.toString());
        assertEquals("clf " + Image.VERSION + "\n", result.out(), result.toString());
    }

    @Test
    void orchestratorVersion() throws Exception {
        Image.Result result = Image.run("clf-orchestrator", "--version");
        assertEquals(0, result.exitCode(), result.toString());
        assertEquals("clf-orchestrator " + Image.VERSION + "\n", result.out(), result.toString());
    }

    @Test
    void cattleAgentVersionAndBadSettings() throws Exception {
        Image.Result result = Image.run("clf-cattle", "--version");
        assertEquals(0, result.exitCode(), result.toString());
        assertEquals("clf-cattle " + Image.VERSION + "\n", result.out(), result.toString());
        Image.Result bad = Image.run("clf-cattle", "--no-such-option");
        assertEquals(2, bad.exitCode(), bad.toString());
        assertTrue(bad.err().contains("unknown argument: --no-such-option"), bad.toString());
    }

    @Test
    void clfUsageErrorExitsOne() throws Exception {
        Image.Result result = Image.run("clf", "--no-such-option");
        assertEquals(1, result.exitCode(), result.toString());
        assertTrue(result.err().contains("Usage: clf"), result.toString());
    }

    @Test
    void clfJavaOptsReachTheJvm() throws Exception {
        // -XshowSettings prints to stderr before main runs; proves CLF_JAVA_OPTS is word-split.
        Image.Result result = Image.run(
                java.util.Map.of("CLF_JAVA_OPTS", "-XshowSettings:properties -Dclf.probe=yes"), "clf", "--version");
        assertEquals(0, result.exitCode(), result.toString());
        assertTrue(result.err().contains("clf.probe = yes"), result.toString());
    }
}
