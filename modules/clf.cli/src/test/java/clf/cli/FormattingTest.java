package clf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tables, key/value views, times and pretty JSON as people (and v1 scripts) see them. */
class FormattingTest {

    @Test
    void tablePadsToTheWidestCellWithTwoSpacesAndTrimsTrailingSpaces() {
        List<String> lines = Table.withHeader("A", "LONG", "C")
                .row("xxx", "y", "")
                .row("", "", "z")
                .lines();

        assertEquals(List.of("A    LONG  C", "xxx  y", "           z"), lines);
    }

    @Test
    void tableWithNoRowsIsItsHeader() {
        assertEquals(List.of("JOB  KIND"), Table.withHeader("JOB", "KIND").lines());
    }

    @Test
    void controlCharactersInCellsBecomeSpaces() {
        assertEquals(List.of("a b c [31m"), Table.of(1).row("a\nb\tc\u001b[31m").lines());
    }

    @Test
    void bidiOverridesZeroWidthAndTagCharactersShowAsReplacementMarks() {
        assertEquals("a\uFFFDb\uFFFDc\uFFFDd\uFFFD\uFFFDe", ShownText.clean("a\u202Eb\u2066c\u200Bd\uDB40\uDC41e"));
        assertEquals("x y  z", ShownText.clean("x\u009By\u2028\u0007z"), "C1 CSI, line separator, BEL");
        assertEquals("plain ünïcödé ✓", ShownText.clean("plain ünïcödé ✓"));
        assertEquals("two\nlines \uFFFD", ShownText.cleanLines("two\nlines\r\u202E"), "clf's own line breaks stay");
    }

    @Test
    void humanOutputCleansEveryLineAndJsonOutputNone() {
        java.io.StringWriter human = new java.io.StringWriter();
        java.io.StringWriter json = new java.io.StringWriter();
        new Output(new java.io.PrintWriter(human, true), new java.io.PrintWriter(human, true), false)
                .lines(List.of("\u001b]0;pwned\u0007 \u202Eevil"));
        new Output(new java.io.PrintWriter(json, true), new java.io.PrintWriter(json, true), true)
                .printJson(Map.of("m", "\u202Eevil"));

        assertEquals(" ]0;pwned  \uFFFDevil" + System.lineSeparator(), human.toString());
        assertEquals("{\n  \"m\": \"\u202Eevil\"\n}" + System.lineSeparator(), json.toString());
    }

    @Test
    void timesLoseTheirTAndZ() {
        assertEquals("2026-01-17 21:08:32.000", JobViews.time("2026-01-17T21:08:32.000Z"));
        assertEquals("", JobViews.time(null));
    }

    @Test
    void listRowShowsTheFirstEightCharsOfTheIdAndAttemptsOverMax() {
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("jobId", "0123456789abcdef");
        job.put("kind", "cattle.spawn");
        job.put("status", "queued");
        job.put("attempt", 0);
        job.put("maxAttempts", 3);
        job.put("updatedAt", "2026-01-17T21:08:32.000Z");

        assertEquals(List.of(
                "JOB       KIND          STATUS  ATT  UPDATED",
                "01234567  cattle.spawn  queued  0/3  2026-01-17 21:08:32.000"), JobViews.listTable(List.of(job)));
    }

    @Test
    void showListsUnknownFieldsAfterTheKnownOnesAndLeavesOutAbsentOnes() {
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("futureField", List.of(1, 2));
        job.put("status", "queued");
        job.put("jobId", "j1");
        job.put("attempt", 0);
        job.put("maxAttempts", 1);

        assertEquals(List.of(
                "jobId        j1",
                "status       queued",
                "attempt      0/1",
                "futureField  [1,2]"), JobViews.showView(job));
    }

    @Test
    void eventsTableHasAtTypeAttemptMessage() {
        assertEquals(List.of("AT  TYPE  ATTEMPT  MESSAGE"), JobViews.eventsTable(List.of()));
    }

    @Test
    void prettyJsonHasTheShapeOfJsonStringifyWithTwoSpaces() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("protocolVersion", 1);
        value.put("list", List.of(1, "two"));
        value.put("empty", List.of());
        value.put("none", Map.of());
        value.put("nothing", null);
        value.put("text", "ü \"q\"");

        assertEquals("""
                {
                  "protocolVersion": 1,
                  "list": [
                    1,
                    "two"
                  ],
                  "empty": [],
                  "none": {},
                  "nothing": null,
                  "text": "ü \\"q\\""
                }""", Json.pretty(value));
    }
}
