package clf.cattle.internal;

import clf.protocol.CattleFiles;
import clf.protocol.InvalidInputException;
import clf.protocol.JsonFields;
import clf.protocol.Task;
import clf.protocol.WireTime;
import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/** What cloud-init wrote for the agent ({@link CattleFiles}), read and checked before anything else happens. */
public final class VmFiles {
    private VmFiles() {
    }

    /** A file is missing or does not say what it must; the message names the file and the field. */
    public static final class Unusable extends Exception {
        private static final long serialVersionUID = 1L;

        Unusable(String message) {
            super(message);
        }
    }

    /**
     * The bootstrap file's content.
     *
     * @param expiresAt the token's expiry, or null when the file has none (the original daemon's)
     */
    public record Bootstrap(URI baseUrl, String token, Instant expiresAt) {
        @Override
        public String toString() {
            return "Bootstrap[baseUrl=" + baseUrl + ", token=(secret), expiresAt=" + expiresAt + "]";
        }
    }

    public static Task task(Path file) throws Unusable {
        Object json = json(file);
        try {
            return Task.fromJson(json, "task");
        } catch (InvalidInputException e) {
            throw new Unusable(file + ": " + e.getMessage());
        }
    }

    public static Bootstrap bootstrap(Path file) throws Unusable {
        Object json = json(file);
        try {
            JsonFields fields = JsonFields.of(json, "");
            String baseUrl = fields.requiredString(CattleFiles.BOOTSTRAP_BASE_URL).strip();
            if (!baseUrl.startsWith("http://") && !baseUrl.startsWith("https://")) {
                throw new InvalidInputException(CattleFiles.BOOTSTRAP_BASE_URL, "an http(s) URL", baseUrl);
            }
            String token = fields.requiredString(CattleFiles.BOOTSTRAP_TOKEN).strip();
            if (token.isEmpty()) {
                throw new InvalidInputException(CattleFiles.BOOTSTRAP_TOKEN, "a token", "\"\"");
            }
            String expiresAt = fields.string(CattleFiles.BOOTSTRAP_EXPIRES_AT, null);
            return new Bootstrap(URI.create(baseUrl.replaceAll("/+$", "")), token,
                    expiresAt == null ? null : WireTime.parse(CattleFiles.BOOTSTRAP_EXPIRES_AT, expiresAt));
        } catch (IllegalArgumentException e) {
            throw new Unusable(file + ": " + e.getMessage());
        }
    }

    /** The public env's auto-shutdown switch: its value, or null when the file or the key is absent. */
    public static Boolean autoShutdown(Path file) throws Unusable {
        if (!Files.exists(file)) {
            return null;
        }
        Object json = json(file);
        if (!(json instanceof Map<?, ?> env)) {
            throw new Unusable(file + ": expected a JSON object");
        }
        Object value = env.get(CattleFiles.AUTO_SHUTDOWN);
        if (value == null) {
            return null;
        }
        if (!"0".equals(value) && !"1".equals(value)) {
            throw new Unusable(file + ": " + CattleFiles.AUTO_SHUTDOWN + " expected \"0\" or \"1\", got " + value);
        }
        return "1".equals(value);
    }

    private static Object json(Path file) throws Unusable {
        try {
            return JSON.std.anyFrom(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new Unusable(file + ": missing (cloud-init writes it; did cloud-init run?)");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // Not the parser's message: it may quote the text, and the bootstrap file holds the token.
            throw new Unusable(file + ": not valid JSON (line " + e.getLocation().getLineNr() + ")");
        } catch (IOException e) {
            throw new Unusable(file + ": not readable: " + e);
        }
    }
}
