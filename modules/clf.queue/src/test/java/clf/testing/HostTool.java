package clf.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Programs of the host that tests drive for real (Hetzner's {@code hcloud}, {@code python3-hcloud},
 * ...). A missing one skips the test on a developer's machine but fails it in CI
 * ({@code CI=true}, set by CI systems), where {@code .ci/run} installs them: a suite that silently
 * skips its real clients there would prove nothing.
 */
public final class HostTool {
    /** What a program did: its process id, exit code and both outputs. */
    public record Result(long pid, int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private HostTool() {
    }

    public static boolean ci() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Skips the test when {@code present} is false, or fails it under {@code CI=true}. */
    public static void require(boolean present, String what) {
        if (!present) {
            unavailable(what + " is not installed (.ci/run installs it)");
        }
    }

    /**
     * Skips the test unless it runs as root, which it needs to act as other Unix users or to
     * give files away; fails it under {@code CI=true}, where .ci/run runs as root.
     */
    public static void requireRoot(String why) {
        if (!"root".equals(System.getProperty("user.name"))) {
            unavailable("needs root " + why);
        }
    }

    /** Skips the test, saying {@code why}; or fails it under {@code CI=true}, where nothing may be skipped. */
    public static void unavailable(String why) {
        if (ci()) {
            fail(why + "; with CI=true this fails instead of skipping");
        }
        Assumptions.abort(why);
    }

    /** Whether {@code name} is an executable on PATH. */
    public static boolean onPath(String name) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                return true;
            }
        }
        return false;
    }

    /** Runs {@code command} with {@code env} added and stdin from /dev/null; fails after {@code timeout}. */
    public static Result run(Map<String, String> env, Duration timeout, List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(env);
        return run(builder, timeout);
    }

    /**
     * Runs {@code builder}'s command, stdin from /dev/null unless the builder says otherwise, and
     * reads both outputs while it runs (so a chatty program never blocks on a full pipe); fails
     * the test after {@code timeout}, with what the program wrote to stderr so far.
     */
    public static Result run(ProcessBuilder builder, Duration timeout) {
        if (builder.redirectInput() == ProcessBuilder.Redirect.PIPE) {
            builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        }
        List<String> command = builder.command();
        try {
            Process process = builder.start();
            CompletableFuture<String> out = read(process.getInputStream());
            CompletableFuture<String> err = read(process.getErrorStream());
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(command + " did not finish within " + timeout + "\n--- stderr so far\n"
                        + err.getNow("(unread)"));
            }
            return new Result(process.pid(), process.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + command, e);
        }
    }

    private static CompletableFuture<String> read(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
