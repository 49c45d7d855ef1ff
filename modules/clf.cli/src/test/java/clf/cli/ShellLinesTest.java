package clf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * clf shell runs every line on one CommandLine: each line must behave as a fresh {@code clf}
 * run, with the same exit codes, and nothing one line set may leak into the next.
 */
class ShellLinesTest {
    @TempDir
    Path dir;

    @Test
    void optionsOfOneLineDoNotLeakIntoTheNext() throws Exception {
        Path socket = dir.resolve("orchestrator.sock");
        try (FakeDaemon daemon = new FakeDaemon(socket,
                request -> FakeDaemon.json(200, "{\"protocolVersion\":1,\"jobs\":[]}"))) {
            StringWriter out = new StringWriter();
            CommandLine commands = Main.commandLine(new Context(Map.of("CLF_SOCKET_PATH", socket.toString()),
                    new CliRun.FakeTicker()), new PrintWriter(out), new PrintWriter(out));
            assertEquals(Main.OK, Main.execute(commands, "jobs", "list", "--status", "done", "--json"));
            assertEquals(Main.OK, Main.execute(commands, "jobs", "list"));
            assertEquals("/v1/jobs?status=done&internal=1", daemon.requests().get(0).target());
            assertEquals("/v1/jobs?internal=1", daemon.requests().get(1).target());
            assertTrue(out.toString().contains("JOB  KIND"), "second line printed a table, not JSON: " + out);
        }
    }

    @Test
    void aLineWithAnErrorReturnsItsExitCodeAndTheNextRunsNormally() {
        StringWriter out = new StringWriter();
        CommandLine commands = Main.commandLine(new Context(Map.of("CLF_SOCKET_PATH", dir.resolve("none.sock").toString()),
                new CliRun.FakeTicker()), new PrintWriter(out), new PrintWriter(out));
        assertEquals(Main.USAGE, Main.execute(commands, "jobs", "nope"));
        assertEquals(Main.UNREACHABLE, Main.execute(commands, "jobs", "show", "x"));
        assertEquals(Main.OK, Main.execute(commands, "--version"));
        assertTrue(out.toString().contains("no orchestrator socket"), out.toString());
    }
}
