package clf.queue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts {@link QueueChildProcess} in a fresh JVM with this test's class path. */
final class ChildJvm {
    private ChildJvm() {
    }

    static Process start(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("-XX:TieredStopAtLevel=1");
        command.add(QueueChildProcess.class.getName());
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
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
