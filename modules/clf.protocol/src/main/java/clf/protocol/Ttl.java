package clf.protocol;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How long a cattle VM may live: a whole number and a unit, {@code 30s}, {@code 15m}, {@code 2h}, {@code 1d}. */
public final class Ttl {
    public static final String EXPECTED = "a duration like 30s, 15m, 2h or 1d";
    private static final Pattern GRAMMAR = Pattern.compile("(\\d{1,9})\\s*([smhd])", Pattern.CASE_INSENSITIVE);

    private Ttl() {
    }

    /** Parses {@code value} (trimmed, case-insensitive) or names {@code field} in the error. */
    public static Duration parse(String field, String value) {
        Matcher match = value == null ? null : GRAMMAR.matcher(value.strip());
        if (match == null || !match.matches()) {
            throw new InvalidInputException(field, EXPECTED, value == null ? "" : value);
        }
        long amount = Long.parseLong(match.group(1));
        if (amount <= 0) {
            throw new InvalidInputException(field, EXPECTED + " (more than zero)", value);
        }
        return switch (match.group(2).toLowerCase(Locale.ROOT)) {
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }

    /** The shortest text that {@link #parse} reads back as {@code duration}. */
    public static String format(Duration duration) {
        long seconds = duration.toSeconds();
        if (seconds % 86_400 == 0) {
            return seconds / 86_400 + "d";
        }
        if (seconds % 3_600 == 0) {
            return seconds / 3_600 + "h";
        }
        if (seconds % 60 == 0) {
            return seconds / 60 + "m";
        }
        return seconds + "s";
    }
}
