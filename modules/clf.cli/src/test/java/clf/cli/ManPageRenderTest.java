package clf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every page renders with man(1) without a warning: {@code MANWIDTH=80 man --warnings -l PAGE}
 * prints nothing on stderr. Skipped where man-db and groff are not installed (Debian: man-db,
 * groff-base).
 */
class ManPageRenderTest {
    @BeforeAll
    static void needsMan() {
        Assumptions.assumeTrue(Programs.installed("man") && Programs.installed("groff"),
                "man and groff are not installed (Debian packages man-db, groff-base)");
    }

    @Test
    void everyPageRendersWithoutWarnings() throws Exception {
        List<Path> pages;
        try (Stream<Path> files = Files.list(GeneratedDocsTest.REPOSITORY.resolve("man"))) {
            pages = files.sorted().toList();
        }
        assertTrue(pages.size() >= 10, "pages: " + pages);
        for (Path page : pages) {
            Programs.Result result = Programs.run(Map.of("MANWIDTH", "80", "LC_ALL", "C.UTF-8"),
                    "man", "--warnings", "-l", page.toString());
            assertEquals(0, result.exitCode(), page + "\n" + result);
            assertEquals("", result.err(), page + " renders with warnings\n" + result.err());
            assertTrue(result.out().contains("NAME"), page + "\n" + result.out());
        }
    }

    @Test
    void theEnqueuePageShowsItsOptionsAsTyped() throws Exception {
        Path page = GeneratedDocsTest.REPOSITORY.resolve("man/clf-jobs-enqueue.1");
        Programs.Result result = Programs.run(Map.of("MANWIDTH", "80", "LC_ALL", "C.UTF-8"), "man", "-l", page.toString());
        String text = result.out().replaceAll(".\b", ""); // overstrike bold and underline
        assertTrue(text.contains("--idempotency-key=KEY"), text);
        assertTrue(text.contains("--[no-]auto-shutdown"), text);
        assertTrue(text.contains("clf jobs enqueue cattle.spawn --requester maren"), text);
    }

    @Test
    void theOrchestratorPageListsEveryVariableWithItsDefault() throws IOException, InterruptedException {
        Path page = GeneratedDocsTest.REPOSITORY.resolve("man/clf-orchestrator.8");
        Programs.Result result = Programs.run(Map.of("MANWIDTH", "200", "LC_ALL", "C.UTF-8"), "man", "-l", page.toString());
        String text = result.out().replaceAll(".\b", "");
        for (OrchestratorPage.Group group : OrchestratorPage.VARIABLES) {
            for (OrchestratorPage.Variable variable : group.variables()) {
                String shown = variable.shown().isEmpty() ? "empty" : variable.shown();
                assertTrue(text.contains(variable.name() + " (default: " + shown + ")"), variable + "\n" + text);
            }
        }
    }
}
