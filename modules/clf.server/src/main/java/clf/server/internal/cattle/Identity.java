package clf.server.internal.cattle;

import clf.server.internal.worker.PermanentFailure;
import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * An identity a cattle VM carries: {@code <root>/<name>/SOUL.md} and {@code config.json}
 * (spec §3.4). Errors name the identity but not the host's paths, since they end up in the
 * bot-visible job error; the operator finds the path in the log.
 *
 * @param model the config's {@code model.primary}, e.g. {@code openai/gpt-4o}
 */
public record Identity(String name, String soul, String configJson, String model) {
    public static final int MAX_FILE_BYTES = 16 * 1024;

    /** Loads and checks an identity; a missing or broken one is a permanent failure. */
    public static Identity load(Path root, String name) throws PermanentFailure {
        Path dir = root.resolve(name);
        if (!Files.isDirectory(dir)) {
            throw new PermanentFailure("identity not found: " + name);
        }
        String soul = read(dir.resolve("SOUL.md"), name, "SOUL.md");
        String configText = read(dir.resolve("config.json"), name, "config.json");
        Map<String, Object> config;
        try {
            config = JSON.std.mapFrom(configText);
        } catch (IOException | RuntimeException e) {
            throw new PermanentFailure("identity " + name + ": config.json is not a JSON object");
        }
        Object version = config.getOrDefault("schemaVersion", 1);
        if (!Integer.valueOf(1).equals(version)) {
            throw new PermanentFailure("identity " + name + ": config.json schemaVersion must be 1");
        }
        String model = config.get("model") instanceof Map<?, ?> modelConfig && modelConfig.get("primary") instanceof String primary
                ? primary.strip()
                : "";
        if (model.isEmpty()) {
            throw new PermanentFailure("identity " + name + ": config.json has no model.primary");
        }
        try {
            String pretty = JSON.std.with(JSON.Feature.PRETTY_PRINT_OUTPUT).asString(config) + "\n";
            return new Identity(name, soul, pretty, model);
        } catch (IOException e) {
            throw new PermanentFailure("identity " + name + ": config.json cannot be written back");
        }
    }

    /** Whether an identity directory exists, for the check at enqueue. */
    public static boolean exists(Path root, String name) {
        return Files.isDirectory(root.resolve(name));
    }

    private static String read(Path file, String identity, String what) throws PermanentFailure {
        if (!Files.exists(file)) {
            throw new PermanentFailure("identity " + identity + " has no " + what);
        }
        if (!Files.isRegularFile(file)) {
            throw new PermanentFailure("identity " + identity + ": " + what + " is not a regular file");
        }
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new PermanentFailure("identity " + identity + ": " + what + " is too large (" + size
                        + " bytes; max " + MAX_FILE_BYTES + ")");
            }
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new PermanentFailure("identity " + identity + ": " + what + " cannot be read");
        }
    }
}
