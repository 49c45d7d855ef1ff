package clf.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The daemon's packages point one way: no package of clf.server reaches itself again through
 * what it imports. Read from the sources' imports (and fully qualified names in code), so a new
 * arrow back up, e.g. a cattle package importing the bot API's, fails here with its cycle.
 */
class PackageCyclesTest {
    static final Path SOURCES = Path.of("src/main/java");
    static final Pattern PACKAGE = Pattern.compile("(?m)^package ([\\w.]+);");
    /** An import or a qualified name of a clf.server class: the package is what precedes the first capital. */
    static final Pattern REFERENCE = Pattern.compile("(?<![\\w.])(clf\\.server(?:\\.[a-z]\\w*)*)\\.[A-Z]");

    static Map<String, Set<String>> graph() throws IOException {
        Map<String, Set<String>> graph = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            files.filter(file -> file.toString().endsWith(".java") && !file.endsWith("module-info.java"))
                    .forEach(file -> {
                        String text = read(file);
                        Matcher pkg = PACKAGE.matcher(text);
                        assertTrue(pkg.find(), "no package line in " + file);
                        String from = pkg.group(1);
                        Set<String> to = graph.computeIfAbsent(from, p -> new TreeSet<>());
                        Matcher reference = REFERENCE.matcher(withoutComments(text.substring(pkg.end())));
                        while (reference.find()) {
                            if (!reference.group(1).equals(from)) {
                                to.add(reference.group(1));
                            }
                        }
                    });
        }
        return graph;
    }

    @Test
    void noPackageOfTheDaemonDependsOnItself() throws IOException {
        Map<String, Set<String>> graph = graph();
        assertTrue(graph.size() > 10, "read the daemon's packages from " + SOURCES.toAbsolutePath() + ": " + graph.keySet());
        List<String> cycles = new ArrayList<>();
        for (String start : graph.keySet()) {
            List<String> path = cycleFrom(start, start, graph, new ArrayList<>(List.of(start)), new TreeSet<>());
            if (path != null) {
                cycles.add(String.join(" -> ", path));
            }
        }
        assertEquals(List.of(), cycles);
    }

    @Test
    void theCheckSeesACycle() {
        Map<String, Set<String>> graph = Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"), "d", Set.of("a"));
        assertEquals(List.of("a", "b", "c", "a"), cycleFrom("a", "a", graph, new ArrayList<>(List.of("a")), new TreeSet<>()));
        assertEquals(null, cycleFrom("d", "d", graph, new ArrayList<>(List.of("d")), new TreeSet<>()));
    }

    /** A path from {@code at} back to {@code start}, or null. */
    static List<String> cycleFrom(String start, String at, Map<String, Set<String>> graph, List<String> path,
            Set<String> seen) {
        for (String next : graph.getOrDefault(at, Set.of())) {
            if (next.equals(start)) {
                List<String> cycle = new ArrayList<>(path);
                cycle.add(start);
                return cycle;
            }
            if (seen.add(next)) {
                path.add(next);
                List<String> found = cycleFrom(start, next, graph, path, seen);
                if (found != null) {
                    return found;
                }
                path.remove(path.size() - 1);
            }
        }
        return null;
    }

    private static String withoutComments(String code) {
        return code.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("(?m)//.*$", " ");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
