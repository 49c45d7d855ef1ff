package clf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The committed man pages and completions are exactly what the command model generates now. */
class GeneratedDocsTest {
    static final Path REPOSITORY = Path.of(System.getProperty("clf.repository", "../..")).toAbsolutePath().normalize();
    static final String VERSION = System.getProperty("clf.version", "unknown");

    @Test
    void committedFilesMatchTheCommandModel() throws IOException {
        Map<Path, String> generated = GenerateDocs.files(VERSION);
        List<String> stale = new ArrayList<>();
        for (Map.Entry<Path, String> file : generated.entrySet()) {
            Path path = REPOSITORY.resolve(file.getKey());
            if (!Files.isRegularFile(path)) {
                stale.add(file.getKey() + " (missing)");
            } else if (!Files.readString(path).equals(file.getValue())) {
                stale.add(file.getKey() + " (differs)");
            }
        }
        assertTrue(stale.isEmpty(), "man pages or completions are out of date with the commands: " + stale
                + "\nRegenerate them from the repository root with:\n  " + GenerateDocs.COMMAND
                + "\n(after mvn -B -q install -DskipTests) and commit the result.");
    }

    @Test
    void noStrayFilesInTheGeneratedDirectories() throws IOException {
        Set<String> generated = GenerateDocs.files(VERSION).keySet().stream().map(Path::toString)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> present = new TreeSet<>();
        for (String dir : List.of("man", "completions")) {
            try (Stream<Path> files = Files.list(REPOSITORY.resolve(dir))) {
                files.map(file -> REPOSITORY.relativize(file).toString()).forEach(present::add);
            }
        }
        assertEquals(generated, present, "files in man/ and completions/ that the generator does not write:"
                + " delete them, or regenerate with " + GenerateDocs.COMMAND);
    }

    @Test
    void everyCommandHasAPage() {
        Set<String> pages = GenerateDocs.files(VERSION).keySet().stream().map(Path::toString).collect(Collectors.toSet());
        for (String page : List.of("man/clf.1", "man/clf-jobs.1", "man/clf-jobs-enqueue.1", "man/clf-jobs-list.1",
                "man/clf-jobs-show.1", "man/clf-jobs-cancel.1", "man/clf-jobs-events.1", "man/clf-jobs-wait.1",
                "man/clf-shell.1", "man/clf-orchestrator.8")) {
            assertTrue(pages.contains(page), page + " in " + pages);
        }
    }
}
