package clf.protocol;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
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
    private static final int DATE_LENGTH = 11;
    /** "00" to "99", two bytes each. */
    private static final byte[] PAIRS = new byte[200];
    /** Recent days' {@code yyyy-MM-ddT}, by epoch day modulo its length (a power of two). */
    private static final Day[] DAYS = new Day[64];

    static {
        for (int i = 0; i < 100; i++) {
            PAIRS[2 * i] = (byte) ('0' + i / 10);
            PAIRS[2 * i + 1] = (byte) ('0' + i % 10);
        }
    }

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
        // Few divisions: the daemon's JIT (C1) divides by a constant with a real division, and a
        // list of 50 writes 150 times. The date comes from a small cache of recent days.
        int days = (int) Math.floorDiv(seconds, 86_400L);
        int secondOfDay = (int) (seconds - days * 86_400L);
        System.arraycopy(date(days), 0, into, at, DATE_LENGTH);
        int hour = secondOfDay / 3_600;
        int rest = secondOfDay - hour * 3_600;
        int minute = rest / 60;
        int millis = instant.getNano() / 1_000_000;
        int hundreds = millis / 100;
        pair(into, at + 11, hour);
        into[at + 13] = ':';
        pair(into, at + 14, minute);
        into[at + 16] = ':';
        pair(into, at + 17, rest - minute * 60);
        into[at + 19] = '.';
        into[at + 20] = (byte) ('0' + hundreds);
        pair(into, at + 21, millis - hundreds * 100);
        into[at + 23] = 'Z';
        return true;
    }

    /** {@code yyyy-MM-ddT} of an epoch day in years 0000-9999, from {@link #DAYS} when it was asked lately. */
    private static byte[] date(int epochDay) {
        int slot = epochDay & (DAYS.length - 1);
        Day cached = DAYS[slot]; // a benign race: a Day is immutable, and a miss only recomputes
        if (cached != null && cached.epochDay == epochDay) {
            return cached.text;
        }
        LocalDate date = LocalDate.ofEpochDay(epochDay); // only on a miss: the cache spares its divisions
        int year = date.getYear();
        byte[] text = new byte[DATE_LENGTH];
        pair(text, 0, year / 100);
        pair(text, 2, year % 100);
        text[4] = '-';
        pair(text, 5, date.getMonthValue());
        text[7] = '-';
        pair(text, 8, date.getDayOfMonth());
        text[10] = 'T';
        DAYS[slot] = new Day(epochDay, text);
        return text;
    }

    /** Two decimal digits of {@code value} (0-99). */
    private static void pair(byte[] into, int at, int value) {
        into[at] = PAIRS[value * 2];
        into[at + 1] = PAIRS[value * 2 + 1];
    }

    /** An epoch day and its {@code yyyy-MM-ddT}. */
    private record Day(int epochDay, byte[] text) {
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
