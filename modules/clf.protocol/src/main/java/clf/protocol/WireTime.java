package clf.protocol;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Times on the wire: UTC ISO-8601 with milliseconds, {@code 2026-01-17T21:08:32.000Z}. */
public final class WireTime {
    /** The pattern, and what {@link #format} falls back to outside years 0000–9999 (it signs those years). */
    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    /** How many characters {@link #write} writes. */
    public static final int LENGTH = 24;
    /** 0000-01-01T00:00:00Z and 10000-01-01T00:00:00Z in epoch seconds: the years written by hand. */
    private static final long FIRST_SECOND = -62_167_219_200L;
    private static final long END_SECOND = 253_402_300_800L;

    private WireTime() {
    }

    /**
     * The wire form of {@code instant}, milliseconds truncated as the pattern does. Written by
     * hand: {@link DateTimeFormatter} was a sixth of a job show's CPU and a third of a list's.
     */
    public static String format(Instant instant) {
        byte[] text = new byte[LENGTH];
        return write(instant, text, 0) ? new String(text, StandardCharsets.ISO_8859_1) : FORMAT.format(instant);
    }

    /**
     * Writes {@link #format}'s {@link #LENGTH} characters as ASCII bytes into {@code into} at
     * {@code at}, for a year from 0000 to 9999; false, and nothing written, for any other year
     * (whose form has a sign and more digits: use {@link #format}).
     */
    public static boolean write(Instant instant, byte[] into, int at) {
        long seconds = instant.getEpochSecond();
        if (seconds < FIRST_SECOND || seconds >= END_SECOND) {
            return false;
        }
        long days = Math.floorDiv(seconds, 86_400L);
        int secondOfDay = (int) (seconds - days * 86_400L);
        // Days to a civil date (H. Hinnant's days_from_civil, inverted), in 400-year eras from 0000-03-01.
        long z = days + 719_468L;
        long era = Math.floorDiv(z, 146_097L);
        int dayOfEra = (int) (z - era * 146_097L);
        int yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        int dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        int monthFromMarch = (5 * dayOfYear + 2) / 153;
        int day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1;
        int month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
        int year = (int) (yearOfEra + era * 400) + (month <= 2 ? 1 : 0);
        int millis = instant.getNano() / 1_000_000;
        digits(into, at, year, 4);
        into[at + 4] = '-';
        digits(into, at + 5, month, 2);
        into[at + 7] = '-';
        digits(into, at + 8, day, 2);
        into[at + 10] = 'T';
        digits(into, at + 11, secondOfDay / 3_600, 2);
        into[at + 13] = ':';
        digits(into, at + 14, secondOfDay / 60 % 60, 2);
        into[at + 16] = ':';
        digits(into, at + 17, secondOfDay % 60, 2);
        into[at + 19] = '.';
        digits(into, at + 20, millis, 3);
        into[at + 23] = 'Z';
        return true;
    }

    private static void digits(byte[] into, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            into[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
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
