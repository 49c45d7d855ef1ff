package clf.protocol;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Times on the wire: UTC ISO-8601 with milliseconds, {@code 2026-01-17T21:08:32.000Z}. */
public final class WireTime {
    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private WireTime() {
    }

    public static String format(Instant instant) {
        return FORMAT.format(instant);
    }

    /** Reads an ISO-8601 time with a zone ({@code Z} or an offset); names {@code field} if it is not one. */
    public static Instant parse(String field, String value) {
        try {
            return OffsetDateTime.parse(value.strip()).toInstant();
        } catch (DateTimeParseException | NullPointerException e) {
            throw new InvalidInputException(field, "an ISO-8601 time with a zone, like 2026-01-17T21:08:32Z", value);
        }
    }
}
