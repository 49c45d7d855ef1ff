package clf.image;

import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.testing.HostTool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The runtime image under test (built by build-image.sh) and a way to run its programs. */
final class Image {

    static final Path HOME = Path.of(System.getProperty("clf.image", "target/clf")).toAbsolutePath();
    static final String VERSION = System.getProperty("clf.version", "unknown");

    /** What a finished process left behind. */
    record Result(long pid, int exitCode, String out, String err) {
        List<String> outLines() {
            return out.lines().toList();
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private Image() {}

    static Path bin(String program) {
        Path path = HOME.resolve("bin").resolve(program);
        assertTrue(Files.isExecutable(path), path + " is missing; was the image built?");
        return path;
    }

    /** Runs bin/PROGRAM ARGS with extra environment variables; fails after 60 s. */
    static Result run(Map<String, String> env, String program, String... args) {
        List<String> command = new ArrayList<>();
        command.add(bin(program).toString());
        command.addAll(List.of(args));
        return run(new ProcessBuilder(command), env);
    }

    /**
     * Runs {@code builder}, stdin from /dev/null, with {@code env} added to a known state (an
     * operator's CLF_JAVA_OPTS must not leak into the tests); fails after 60 s.
     */
    static Result run(ProcessBuilder builder, Map<String, String> env) {
        builder.environment().remove("CLF_JAVA_OPTS");
        builder.environment().putAll(env);
        HostTool.Result ran = HostTool.run(builder, Duration.ofSeconds(60));
        return new Result(ran.pid(), ran.exitCode(), ran.out(), ran.err());
    }

    static Result run(String program, String... args) {
        return run(Map.of(), program, args);
    }
}
