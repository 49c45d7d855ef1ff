package clf.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WireTimeTest {
    /** What format wrote before it was written by hand: every time must read exactly so. */
    private static final DateTimeFormatter PATTERN =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    @Test
    void writesWhatThePatternWrites() {
        for (String time : new String[] {"1970-01-01T00:00:00Z", "1969-12-31T23:59:59.999Z", "2000-02-29T12:00:00.5Z",
            "1900-02-28T23:59:59Z", "1900-03-01T00:00:00Z", "2100-03-01T00:00:00.001Z", "2026-01-17T21:08:32.123456789Z",
            "0000-01-01T00:00:00Z", "0000-03-01T00:00:00Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z",
            "1600-02-29T00:00:00Z", "2400-12-31T23:59:59Z"}) {
            Instant instant = Instant.parse(time);
            assertEquals(PATTERN.format(instant), WireTime.format(instant), time);
        }
        SplittableRandom random = new SplittableRandom(17);
        for (int i = 0; i < 200_000; i++) {
            // Milliseconds over years 0000-9999, and nanoseconds the pattern truncates.
            long seconds = random.nextLong(-62_167_219_200L, 253_402_300_800L);
            Instant instant = Instant.ofEpochSecond(seconds, random.nextInt(1_000_000_000));
            assertEquals(PATTERN.format(instant), WireTime.format(instant), instant.toString());
        }
    }

    @Test
    void recentDaysAskedAgainAndDaysSharingACacheSlotStayRight() {
        Instant start = Instant.parse("2026-12-02T23:59:59.999Z");
        for (int pass = 0; pass < 3; pass++) {
            for (int day = 0; day < 300; day += pass + 1) { // 64 days apart share a slot
                Instant instant = start.plusSeconds(86_400L * day + pass);
                assertEquals(PATTERN.format(instant), WireTime.format(instant), instant.toString());
            }
        }
    }

    @Test
    void yearsPastFourDigitsKeepThePatternsSign() {
        for (Instant instant : new Instant[] {Instant.parse("+10000-01-01T00:00:00Z"), Instant.parse("-0001-12-31T23:59:59Z"),
            Instant.parse("+100000-06-01T00:00:00.250Z"), Instant.parse("-9999-01-01T00:00:00Z")}) {
            assertEquals(PATTERN.format(instant), WireTime.format(instant));
            assertFalse(WireTime.write(instant, new byte[WireTime.LENGTH], 0));
        }
    }

    @Test
    void writeFillsExactlyItsBytesAtTheOffset() {
        byte[] into = ("<<" + ".".repeat(WireTime.LENGTH + 4) + ">>").getBytes(StandardCharsets.US_ASCII);
        Instant instant = Instant.parse("2026-12-02T05:15:21.042Z");
        WireTime.write(instant, into, 2);
        assertEquals("<<2026-12-02T05:15:21.042Z....>>", new String(into, StandardCharsets.US_ASCII));
    }
}
