package clf.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.testing.CapturedText;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sun.misc.Signal;
import sun.misc.SignalHandler;

class MainTest {

    private final CapturedText out = new CapturedText();
    private final CapturedText err = new CapturedText();

    private int run(String... args) {
        return Main.run(out.stream(), err.stream(), args);
    }

    private String out() {
        return out.text();
    }

    private String err() {
        return err.text();
    }

    @Test
    void versionPrintsNameAndVersion() {
        assertEquals(Main.OK, run("--version"));
        // On the class path there is no module descriptor; the image test checks the number.
        assertTrue(out().startsWith("clf-orchestrator "), out());
        assertEquals(Main.OK, run("-V"));
    }

    @Test
    void helpPrintsUsage() {
        assertEquals(Main.OK, run("--help"));
        assertTrue(out().startsWith("Usage: clf-orchestrator"), out());
        assertTrue(out().contains("--check-runtime DIR"), out());
    }

    @Test
    void metricsListenIsTheVariablesCommandLineSpellingAndRefusesAWildcard() {
        int code = Main.run(out.stream(), err.stream(), Map.of("CLF_WORKER_CONCURRENCY", "lots"),
                "--metrics-listen", "0.0.0.0:9464");

        assertEquals(Main.FAILED, code);
        assertTrue(err().contains("CLF_METRICS_LISTEN: only a loopback address"), err());
        assertTrue(err().contains("CLF_WORKER_CONCURRENCY"), "read with the rest of the configuration: " + err());
        assertEquals(Main.OK, run("--metrics-listen=127.0.0.1:9464", "--version"));
    }

    @Test
    void everyInvalidSettingIsReportedAtOnceAndTheDaemonDoesNotStart() {
        int code = Main.run(out.stream(), err.stream(), Map.of(
                "CLF_WORKER_CONCURRENCY", "lots",
                "CLF_DB_PATH", "relative/state.sqlite",
                "CLF_TRUST_REQUESTER", "maybe"));

        assertEquals(Main.FAILED, code);
        assertTrue(err().contains("CLF_WORKER_CONCURRENCY: an integer from 1 to 64, got 'lots'"), err());
        assertTrue(err().contains("CLF_DB_PATH: an absolute path, got 'relative/state.sqlite'"), err());
        assertTrue(err().contains("CLF_TRUST_REQUESTER: one of 1|0|true|false|yes|no, got 'maybe'"), err());
    }

    @Test
    void devTakesAStateDirAndASocketInEitherOrderAndForm() {
        assertEquals(Map.of(), Main.devOptions("--dev"));
        assertEquals(Map.of("--state-dir", "/tmp/d", "--socket", "/run/x.sock"),
                Main.devOptions("--dev", "--socket", "/run/x.sock", "--state-dir", "/tmp/d"));
        assertEquals(Map.of("--socket", "/run/x.sock"), Main.devOptions("--dev", "--socket=/run/x.sock"));
        assertEquals(null, Main.devOptions("--dev", "--socket"));
        assertEquals(null, Main.devOptions("--dev", "--socket", "a", "--socket", "b"));
        assertEquals(null, Main.devOptions("--dev", "--bogus", "x"));
        assertEquals(Main.FAILED, run("--dev", "--socket"));
        assertTrue(err().contains("Usage: clf-orchestrator [-hV] [--metrics-listen ADDR:PORT] [--dev [--state-dir DIR] [--socket PATH]]"), err());
    }

    @Test
    void theDaemonLogsToTheOutItIsGiven(@TempDir Path dir) throws IOException {
        // The socket's directory is a file: the daemon starts (store, workers), then fails at the socket.
        Files.writeString(dir.resolve("not-a-dir"), "");
        Map<String, String> env = Map.of("CLF_CATTLE_ENABLED", "0", "CLF_DB_PATH", dir.resolve("state.sqlite").toString(),
                "CLF_SOCKET_PATH", dir.resolve("not-a-dir/bot.sock").toString());
        PrintStream stdout = System.out;
        CapturedText leaked = new CapturedText();
        System.setOut(leaked.stream());
        int code;
        try {
            code = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> Main.run(out.stream(), err.stream(), env),
                    "the daemon was expected to fail at its socket, not to run");
        } finally {
            System.setOut(stdout);
            // serve() takes SIGTERM and SIGINT; give them back to the JVM so the test run can still be stopped.
            Signal.handle(new Signal("TERM"), SignalHandler.SIG_DFL);
            Signal.handle(new Signal("INT"), SignalHandler.SIG_DFL);
        }
        assertEquals(Main.FAILED, code, err());
        assertTrue(out().contains(" INFO store.opened "), out());
        assertTrue(out().contains(" ERROR clf-orchestrator.start-failed "), out());
        assertEquals("", leaked.text(), "nothing on System.out");
    }

    @Test
    void unknownOptionIsAUsageError() {
        assertEquals(Main.FAILED, run("--bogus"));
        assertTrue(err().contains("Invalid arguments: --bogus"), err());
        assertEquals("", out());
    }

    @Test
    void checkRuntimeWithoutDirIsAUsageError() {
        assertEquals(Main.FAILED, run("--check-runtime"));
        assertTrue(err().contains("Usage: clf-orchestrator"), err());
    }
}
