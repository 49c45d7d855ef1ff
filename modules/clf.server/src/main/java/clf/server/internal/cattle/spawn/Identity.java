package clf.server.internal.cattle.spawn;

import clf.server.internal.worker.PermanentFailure;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * An identity a cattle VM carries: {@code <root>/<name>/SOUL.md} and {@code config.json}
 * (spec §3.4). Errors name the identity and the file but never the host's paths, since they
 * end up in the bot-visible job error.
 *
 * @param configJson the parsed config.json written back with indentation, plus a newline
 * @param model      the config's {@code model.primary}, e.g. {@code openai/gpt-4o}
 */
public record Identity(String name, String soul, String configJson, String model) {
    public static final int MAX_FILE_BYTES = 16 * 1024;
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]*");
    private static final JSON PRETTY = JSON.std.with(JSON.Feature.PRETTY_PRINT_OUTPUT);

    /** Loads and checks an identity; a missing or broken one is a permanent failure. */
    public static Identity load(Path root, String name) throws PermanentFailure {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new PermanentFailure("invalid identity name (use [a-z][a-z0-9_-]*)");
        }
        Path dir = root.resolve(name);
        if (!Files.isDirectory(dir)) {
            throw new PermanentFailure("identity not found: " + name);
        }
        String soul = read(dir.resolve("SOUL.md"), name, "SOUL.md");
        String configText = read(dir.resolve("config.json"), name, "config.json");
        Map<String, Object> config = parseObject(configText, name);
        Object version = config.getOrDefault("schemaVersion", 1);
        if (!Integer.valueOf(1).equals(version)) {
            throw new PermanentFailure("identity " + name + ": config.json schemaVersion must be 1");
        }
        Object modelConfig = config.get("model");
        if (modelConfig != null && !(modelConfig instanceof Map)) {
            throw new PermanentFailure("identity " + name + ": config.json model must be an object");
        }
        Map<?, ?> model = modelConfig == null ? Map.of() : (Map<?, ?>) modelConfig;
        String primary = model.get("primary") instanceof String text ? text.strip() : "";
        if (primary.isEmpty()) {
            throw new PermanentFailure("identity " + name + ": config.json has no model.primary");
        }
        Object fallbacks = model.get("fallbacks");
        if (fallbacks != null && !(fallbacks instanceof List<?> list
                && list.stream().allMatch(entry -> entry instanceof String text && !text.isBlank()))) {
            throw new PermanentFailure("identity " + name + ": config.json model.fallbacks must be a list of names");
        }
        try {
            return new Identity(name, soul, CloudInit.wellFormed(PRETTY.asString(config)) + "\n", primary);
        } catch (IOException e) {
            throw new PermanentFailure("identity " + name + ": config.json cannot be written back");
        }
    }

    /** Whether an identity directory exists, for the check at enqueue. */
    public static boolean exists(Path root, String name) {
        return name != null && NAME.matcher(name).matches() && Files.isDirectory(root.resolve(name));
    }

    /** One JSON object and nothing after it; {@code null}, arrays and trailing text are refused. */
    private static Map<String, Object> parseObject(String text, String identity) throws PermanentFailure {
        try (JsonParser parser = JSON.std.getStreamingFactory().createParser(text)) {
            Map<String, Object> config = JSON.std.mapFrom(parser);
            if (config == null || parser.nextToken() != null) {
                throw new PermanentFailure("identity " + identity + ": config.json is not one JSON object");
            }
            return config;
        } catch (IOException | RuntimeException e) {
            throw new PermanentFailure("identity " + identity + ": config.json is not valid JSON (" + firstLine(e) + ")");
        }
    }

    /** The parser's complaint without its source excerpt (which could be long). */
    private static String firstLine(Exception e) {
        String message = String.valueOf(e.getMessage());
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }

    private static String read(Path file, String identity, String what) throws PermanentFailure {
        if (!Files.exists(file)) {
            throw new PermanentFailure("identity " + identity + " has no " + what);
        }
        if (!Files.isRegularFile(file)) {
            throw new PermanentFailure("identity " + identity + ": " + what + " is not a regular file");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_FILE_BYTES + 1); // bounded: a file that grows meanwhile cannot blow memory
        } catch (IOException e) {
            throw new PermanentFailure("identity " + identity + ": " + what + " cannot be read");
        }
        if (bytes.length > MAX_FILE_BYTES) {
            throw new PermanentFailure("identity " + identity + ": " + what + " is too large (more than "
                    + MAX_FILE_BYTES + " bytes)");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new PermanentFailure("identity " + identity + ": " + what + " is not UTF-8 text");
        }
    }
}
