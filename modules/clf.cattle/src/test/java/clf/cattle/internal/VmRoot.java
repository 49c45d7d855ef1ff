package clf.cattle.internal;

import clf.cattle.Main;
import clf.protocol.CattleFiles;
import clf.protocol.WireTime;
import com.fasterxml.jackson.jr.ob.JSON;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A private directory standing in for a VM's {@code /} (the agent's {@code --root}): the files
 * cloud-init writes, and the agent run on it through {@link Main#run} as {@code clf-cattle} would
 * be, its task and power-off real child processes. Power-off appends a line to {@link #poweredOff()}.
 */
final class VmRoot {
    final Path root;

    VmRoot(Path root) {
        this.root = root;
    }

    /** What the agent printed and how it exited. */
    record Run(int exitCode, String log) {
    }

    Path file(String absolute) {
        return root.resolve(absolute.substring(1));
    }

    Path poweredOff() {
        return root.resolve("powered-off");
    }

    VmRoot task(String message) throws IOException {
        Map<String, Object> task = new LinkedHashMap<>();
        task.put("schemaVersion", 1);
        task.put("taskId", "t-1");
        task.put("type", "clawdbot.gateway.agent");
        task.put("message", message);
        task.put("callbackUrl", "");
        return write(CattleFiles.TASK_PATH, JSON.std.asString(task));
    }

    VmRoot bootstrap(String baseUrl, String token, Instant expiresAt) throws IOException {
        Map<String, Object> bootstrap = new LinkedHashMap<>();
        bootstrap.put(CattleFiles.BOOTSTRAP_BASE_URL, baseUrl);
        bootstrap.put(CattleFiles.BOOTSTRAP_TOKEN, token);
        if (expiresAt != null) {
            bootstrap.put(CattleFiles.BOOTSTRAP_EXPIRES_AT, WireTime.format(expiresAt));
        }
        return write(CattleFiles.BOOTSTRAP_PATH, JSON.std.asString(bootstrap));
    }

    VmRoot write(String absolute, String content) throws IOException {
        Path file = file(absolute);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        return this;
    }

    Run run(String taskCommand, String... more) throws InterruptedException {
        List<String> args = new ArrayList<>(List.of("--root", root.toString(), "--task-command", taskCommand,
                "--poweroff-command", "echo poweroff >> " + EnvFile.shellQuoted(poweredOff().toString())));
        args.addAll(List.of(more));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = Main.run(args, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, err.toString(StandardCharsets.UTF_8) + out.toString(StandardCharsets.UTF_8));
    }

    CompletableFuture<Run> start(String taskCommand, String... more) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return run(taskCommand, more);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
