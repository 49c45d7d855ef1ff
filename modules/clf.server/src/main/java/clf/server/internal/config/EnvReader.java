package clf.server.internal.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads configuration from environment variables, collecting every problem instead of stopping
 * at the first, so an operator fixes them all in one go. Empty values mean "the default".
 */
public final class EnvReader {
    private final Map<String, String> env;
    private final List<String> problems = new ArrayList<>();

    public EnvReader(Map<String, String> env) {
        this.env = env;
    }

    public List<String> problems() {
        return List.copyOf(problems);
    }

    /** The trimmed value, or {@code fallback} when unset or blank. */
    public String string(String name, String fallback) {
        String value = env.get(name);
        return value == null || value.isBlank() ? fallback : value.strip();
    }

    public boolean isSet(String name) {
        String value = env.get(name);
        return value != null && !value.isBlank();
    }

    public int integer(String name, int fallback, int min, int max) {
        String raw = string(name, null);
        if (raw == null) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(raw);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problem(name, "an integer from " + min + " to " + max, raw);
        return fallback;
    }

    public boolean bool(String name, boolean fallback) {
        String raw = string(name, null);
        if (raw == null) {
            return fallback;
        }
        switch (raw.toLowerCase(Locale.ROOT)) {
            case "1", "true", "yes", "on" -> {
                return true;
            }
            case "0", "false", "no", "off" -> {
                return false;
            }
            default -> {
                problem(name, "one of 1|0|true|false|yes|no", raw);
                return fallback;
            }
        }
    }

    /** A millisecond count within [min, max]. */
    public Duration millis(String name, Duration fallback, Duration min, Duration max) {
        int ms = integer(name, (int) fallback.toMillis(), (int) min.toMillis(), (int) max.toMillis());
        return Duration.ofMillis(ms);
    }

    /** An absolute path, normalized. */
    public Path absolutePath(String name, String fallback) {
        String raw = string(name, fallback);
        Path path = Path.of(raw);
        if (!path.isAbsolute()) {
            problem(name, "an absolute path", raw);
        }
        return path.normalize();
    }

    /** A value parsed by {@code parser}, whose IllegalArgumentException message says what was expected. */
    public <T> T parsed(String name, T fallback, Function<String, T> parser) {
        String raw = string(name, null);
        if (raw == null) {
            return fallback;
        }
        try {
            return parser.apply(raw);
        } catch (IllegalArgumentException e) {
            problems.add(name + ": " + e.getMessage());
            return fallback;
        }
    }

    public void problem(String name, String expected, String got) {
        problems.add(name + ": " + expected + ", got '" + got + "'");
    }

    public void problem(String message) {
        problems.add(message);
    }
}
