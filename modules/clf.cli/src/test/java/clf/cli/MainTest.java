package clf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MainTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(stream(out), stream(err), args);
    }

    private static PrintStream stream(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }

    private static String text(ByteArrayOutputStream bytes) {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void versionPrintsNameAndVersionAndExitsZero() {
        assertEquals(Main.OK, run("--version"));
        // On the class path there is no module descriptor; the image test checks the number.
        assertTrue(text(out).startsWith("clf "), text(out));
        assertEquals("", text(err));
    }

    @Test
    void helpPrintsUsageAndExitsZero() {
        assertEquals(Main.OK, run("--help"));
        assertTrue(text(out).contains("Usage: clf"), text(out));
        assertTrue(text(out).contains("--version"), text(out));
        assertTrue(text(out).contains("jobs"), text(out));
    }

    @Test
    void helpDocumentsTheExitCodes() {
        assertEquals(Main.OK, run("--help"));
        String help = text(out);
        assertTrue(help.contains("Exit codes:"), help);
        for (String code : new String[] {"0   ok", "1   usage error", "2   the request was refused or failed",
            "3   the orchestrator cannot be reached", "4   jobs wait"}) {
            assertTrue(help.contains(code), code + " missing from\n" + help);
        }
    }

    @Test
    void jobsWithoutASubcommandIsAUsageError() {
        assertEquals(Main.USAGE, run("jobs"));
        assertTrue(text(err).contains("Usage: clf jobs"), text(err));
    }

    @Test
    void unknownOptionIsAUsageError() {
        assertEquals(Main.USAGE, run("--no-such-option"));
        assertTrue(text(err).contains("Unknown option"), text(err));
        assertEquals("", text(out));
    }

    @Test
    void noCommandIsAUsageError() {
        assertEquals(Main.USAGE, run());
        assertTrue(text(err).contains("Usage: clf"), text(err));
    }
}
