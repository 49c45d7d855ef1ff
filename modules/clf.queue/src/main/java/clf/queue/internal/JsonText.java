package clf.queue.internal;

import clf.protocol.InvalidInputException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Checks that text the store keeps as JSON really is one JSON value, so reads never fail later. */
public final class JsonText {
    private static final JsonFactory FACTORY = new JsonFactory();

    private JsonText() {
    }

    public static void requireValid(String field, String json, int maxBytes) {
        int bytes = json.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > maxBytes) {
            throw new InvalidInputException(field, "JSON of at most " + maxBytes + " bytes", bytes + " bytes");
        }
        try (JsonParser parser = FACTORY.createParser(json)) {
            if (parser.nextToken() == null) {
                throw new InvalidInputException(field, "one JSON value", "empty text");
            }
            parser.skipChildren();
            if (parser.nextToken() != null) {
                throw new InvalidInputException(field, "one JSON value", "more text after the value");
            }
        } catch (IOException e) {
            throw new InvalidInputException(field, "one JSON value", firstLine(e.getMessage()));
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unparseable text";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
