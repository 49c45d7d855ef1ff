package clf.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * JSON in and out via Jackson jr. Pretty output has the shape of {@code JSON.stringify(v, null, 2)},
 * which the v1 CLI printed: two-space indent, {@code "key": value}, {@code []} and {@code {}} when empty.
 */
final class Json {
    private static final DefaultIndenter INDENT = new DefaultIndenter("  ", "\n");
    /** Nulls are written: the daemon's {@code "nextCursor": null} must survive a round trip. */
    private static final JSON COMPACT = JSON.std.with(JSON.Feature.WRITE_NULL_PROPERTIES);
    private static final JSON PRETTY = COMPACT
            .with(new DefaultPrettyPrinter(Separators.createDefaultInstance()
                            .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                            .withObjectEmptySeparator("")
                            .withArrayEmptySeparator(""))
                    .withObjectIndenter(INDENT)
                    .withArrayIndenter(INDENT))
            .with(JSON.Feature.PRETTY_PRINT_OUTPUT);

    private Json() {
    }

    /** Parses a JSON document into maps (insertion-ordered), lists, strings, numbers, booleans and null. */
    static Object parse(String text) throws JsonProcessingException {
        try {
            return COMPACT.anyFrom(text);
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e); // reading a String does no I/O
        }
    }

    static String compact(Object value) {
        return write(COMPACT, value);
    }

    static String pretty(Object value) {
        return write(PRETTY, value);
    }

    /** A parser's complaint without the source excerpt: {@code Unexpected character ('x') … at line 1, column 2}. */
    static String describe(JsonProcessingException e) {
        String message = e.getOriginalMessage();
        int newline = message.indexOf('\n');
        if (newline >= 0) {
            message = message.substring(0, newline);
        }
        if (e.getLocation() != null && e.getLocation().getLineNr() > 0) {
            message += " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
        }
        return message;
    }

    private static String write(JSON json, Object value) {
        try {
            return json.asString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // maps, lists and scalars always serialise
        }
    }
}
