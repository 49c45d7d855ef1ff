package clf.queue;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Starts {@link QueueChildProcess} (or a benchmark's child) in a fresh JVM with this test's class path. */
final class ChildJvm {
    private ChildJvm() {
    }

    static Process start(String... args) throws IOException {
        return start(QueueChildProcess.class, List.of("-XX:TieredStopAtLevel=1"), List.of(args), Map.of());
    }

    static Process start(Class<?> main, List<String> jvmOptions, List<String> args, Map<String, String> environment)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(classPath(main));
        command.addAll(jvmOptions);
        command.add(main.getName());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().putAll(environment);
        return builder.start();
    }

    /**
     * The class path {@code main} was loaded from: surefire's is {@code java.class.path}; under
     * {@code exec:java} the test classes come from the plugin's own class loader instead.
     */
    private static String classPath(Class<?> main) {
        if (main.getClassLoader() instanceof URLClassLoader loader && loader.getURLs().length > 0) {
            List<String> entries = new ArrayList<>();
            for (URL url : loader.getURLs()) {
                try {
                    entries.add(Path.of(url.toURI()).toString());
                } catch (URISyntaxException e) {
                    throw new IllegalStateException("not a file on the class path: " + url, e);
                }
            }
            return String.join(File.pathSeparator, entries);
        }
        return System.getProperty("java.class.path");
    }

    /** Waits for the process to exit 0 and returns its stdout lines. */
    static List<String> linesOf(Process process) throws IOException, InterruptedException {
        List<String> lines;
        try (var reader = process.inputReader()) {
            lines = reader.lines().toList();
        }
        int code = process.waitFor();
        if (code != 0) {
            throw new AssertionError("child JVM exited " + code);
        }
        return lines;
    }
}
