package clf.secrets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where secret values come from: {@code $CREDENTIALS_DIRECTORY/<NAME>} (systemd
 * {@code LoadCredential=}, readable only by the service) when that file exists, else the
 * environment variable {@code NAME}. Values are trimmed; blank counts as missing. Read on every
 * call, so a rotated credential is picked up without a restart.
 */
public final class SecretSource {
    private static final Pattern ENV_NAME = Pattern.compile("[A-Z_][A-Z0-9_]*");
    private static final long MAX_BYTES = 64 * 1024;

    private final Path credentialsDirectory;
    private final Map<String, String> env;

    /**
     * @param credentialsDirectory systemd's {@code CREDENTIALS_DIRECTORY}, or null
     * @param env                  the process environment
     */
    public SecretSource(Path credentialsDirectory, Map<String, String> env) {
        this.credentialsDirectory = credentialsDirectory;
        this.env = Map.copyOf(env);
    }

    /** The source of this process: its {@code CREDENTIALS_DIRECTORY} and environment. */
    public static SecretSource fromEnvironment(Map<String, String> env) {
        String dir = env.get("CREDENTIALS_DIRECTORY");
        return new SecretSource(dir == null || dir.isBlank() ? null : Path.of(dir), env);
    }

    public Optional<Secret> get(String name) {
        if (!ENV_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a variable name: " + name);
        }
        if (credentialsDirectory != null) {
            Path file = credentialsDirectory.resolve(name);
            if (Files.isRegularFile(file)) {
                return nonBlank(read(file));
            }
        }
        return nonBlank(env.get(name));
    }

    private static String read(Path file) {
        try {
            if (Files.size(file) > MAX_BYTES) {
                return null;
            }
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }

    private static Optional<Secret> nonBlank(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(Secret.of(value.strip()));
    }
}
