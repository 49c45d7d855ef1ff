package clf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.testing.CapturedText;
import org.junit.jupiter.api.Test;

class MainTest {

    private final CapturedText out = new CapturedText();
    private final CapturedText err = new CapturedText();

    private int run(String... args) {
        return Main.run(out.stream(), err.stream(), args);
    }

    @Test
    void versionPrintsNameAndVersionAndExitsZero() {
        assertEquals(Main.OK, run("--version"));
        // On the class path there is no module descriptor; the image test checks the number.
        assertTrue(out.text().startsWith("clf "), out.text());
        assertEquals("", err.text());
    }

    @Test
    void theQuickVersionPathPrintsWhatPicocliPrints() {
        CapturedText viaPicocli = new CapturedText();
        java.io.PrintWriter writer = new java.io.PrintWriter(viaPicocli.stream(), true);
        assertEquals(Main.OK, Main.execute(Main.commandLine(Context.system(), writer, writer), "--version"));
        assertEquals(Main.OK, run("--version"));
        assertEquals(viaPicocli.text(), out.text());
        assertEquals(Main.OK, run("-V"));
        assertEquals(viaPicocli.text() + viaPicocli.text(), out.text());
    }

    @Test
    void helpPrintsUsageAndExitsZero() {
        assertEquals(Main.OK, run("--help"));
        assertTrue(out.text().contains("Usage: clf"), out.text());
        assertTrue(out.text().contains("--version"), out.text());
        assertTrue(out.text().contains("jobs"), out.text());
    }

    @Test
    void helpDocumentsTheExitCodes() {
        assertEquals(Main.OK, run("--help"));
        String help = out.text();
        assertTrue(help.contains("Exit codes:"), help);
        for (String code : new String[] {"0   ok", "1   usage error", "2   the request was refused or failed",
            "3   the orchestrator cannot be reached", "4   jobs wait"}) {
            assertTrue(help.contains(code), code + " missing from\n" + help);
        }
    }

    @Test
    void jobsWithoutASubcommandIsAUsageError() {
        assertEquals(Main.USAGE, run("jobs"));
        assertTrue(err.text().contains("Usage: clf jobs"), err.text());
    }

    @Test
    void unknownOptionIsAUsageError() {
        assertEquals(Main.USAGE, run("--no-such-option"));
        assertTrue(err.text().contains("Unknown option"), err.text());
        assertEquals("", out.text());
    }

    @Test
    void noCommandIsAUsageError() {
        assertEquals(Main.USAGE, run());
        assertTrue(err.text().contains("Usage: clf"), err.text());
    }
}
