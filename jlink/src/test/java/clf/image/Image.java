package clf.image;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

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
    static Result run(Map<String, String> env, String program, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(bin(program).toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        // Start from a known state: an operator's CLF_JAVA_OPTS must not leak into the tests.
        builder.environment().remove("CLF_JAVA_OPTS");
        builder.environment().putAll(env);
        Process process = builder.start();
        CompletableFuture<String> out = read(process.getInputStream());
        CompletableFuture<String> err = read(process.getErrorStream());
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not finish within 60 s");
        }
        return new Result(process.pid(), process.exitValue(), out.join(), err.join());
    }

    static Result run(String program, String... args) throws IOException, InterruptedException {
        return run(Map.of(), program, args);
    }

    private static CompletableFuture<String> read(java.io.InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }
}
