package clf.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the image's {@code bin/clf} as a process against one daemon socket, optionally as another
 * Unix user through {@code setpriv} (the way a bot user would run it).
 */
final class Cli {
    private final String socket;
    private final List<String> asUser;

    private Cli(String socket, List<String> asUser) {
        this.socket = socket;
        this.asUser = asUser;
    }

    static Cli on(java.nio.file.Path socket) {
        return new Cli(socket.toString(), List.of());
    }

    /** The same CLI run as {@code uid}/{@code gid} with {@code extraGroups} (e.g. the socket's group). */
    Cli as(int uid, int gid, int... extraGroups) {
        List<String> prefix = new ArrayList<>(List.of("setpriv", "--reuid=" + uid, "--regid=" + gid));
        if (extraGroups.length == 0) {
            prefix.add("--clear-groups");
        } else {
            StringBuilder groups = new StringBuilder();
            for (int group : extraGroups) {
                groups.append(groups.length() == 0 ? "" : ",").append(group);
            }
            prefix.add("--groups=" + groups);
        }
        return new Cli(socket, prefix);
    }

    Image.Result run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(asUser);
        command.add(Image.bin("clf").toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().remove("CLF_JAVA_OPTS");
        builder.environment().put("CLF_SOCKET_PATH", socket);
        Process process = builder.start();
        CompletableFuture<String> out = read(process.getInputStream());
        CompletableFuture<String> err = read(process.getErrorStream());
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not finish within 60 s");
        }
        return new Image.Result(process.pid(), process.exitValue(), out.join(), err.join());
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
