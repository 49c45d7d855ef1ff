package clf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.testing.HostTool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every page renders with man(1) without a warning: {@code MANWIDTH=80 man --warnings -l PAGE}
 * prints nothing on stderr. Needs man-db and groff (Debian: man-db, groff-base): skipped without
 * them, failed without them under {@code CI=true}.
 */
class ManPageRenderTest {
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(30);

    @BeforeAll
    static void needsMan() {
        HostTool.require(HostTool.onPath("man") && HostTool.onPath("groff"), "man and groff (Debian packages man-db, groff-base)");
    }

    @Test
    void everyPageRendersWithoutWarnings() throws Exception {
        List<Path> pages;
        try (Stream<Path> files = Files.list(GeneratedDocsTest.REPOSITORY.resolve("man"))) {
            pages = files.sorted().toList();
        }
        assertTrue(pages.size() >= 10, "pages: " + pages);
        for (Path page : pages) {
            HostTool.Result result = HostTool.run(Map.of("MANWIDTH", "80", "LC_ALL", "C.UTF-8"), RUN_TIMEOUT,
                    List.of("man", "--warnings", "-l", page.toString()));
            assertEquals(0, result.exitCode(), page + "\n" + result);
            assertEquals("", result.err(), page + " renders with warnings\n" + result.err());
            assertTrue(result.out().contains("NAME"), page + "\n" + result.out());
        }
    }

    @Test
    void theEnqueuePageShowsItsOptionsAsTyped() throws Exception {
        Path page = GeneratedDocsTest.REPOSITORY.resolve("man/clf-jobs-enqueue.1");
        HostTool.Result result = HostTool.run(Map.of("MANWIDTH", "80", "LC_ALL", "C.UTF-8"), RUN_TIMEOUT,
                List.of("man", "-l", page.toString()));
        String text = result.out().replaceAll(".\b", ""); // overstrike bold and underline
        assertTrue(text.contains("--idempotency-key=KEY"), text);
        assertTrue(text.contains("--[no-]auto-shutdown"), text);
        assertTrue(text.contains("clf jobs enqueue cattle.spawn --requester maren"), text);
    }

    @Test
    void theOrchestratorPageListsEveryVariableWithItsDefault() throws IOException, InterruptedException {
        Path page = GeneratedDocsTest.REPOSITORY.resolve("man/clf-orchestrator.8");
        HostTool.Result result = HostTool.run(Map.of("MANWIDTH", "200", "LC_ALL", "C.UTF-8"), RUN_TIMEOUT,
                List.of("man", "-l", page.toString()));
        String text = result.out().replaceAll(".\b", "");
        for (OrchestratorPage.Group group : OrchestratorPage.VARIABLES) {
            for (OrchestratorPage.Variable variable : group.variables()) {
                String shown = variable.shown().isEmpty() ? "empty" : variable.shown();
                assertTrue(text.contains(variable.name() + " (default: " + shown + ")"), variable + "\n" + text);
            }
        }
    }
}
