package clf.server.internal.http;

import clf.protocol.ApiException;
import clf.protocol.ErrorCode;
import clf.protocol.InvalidInputException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;

/** Parses a request body as exactly one JSON value. */
final class JsonBody {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final JSON READER = JSON.builder(FACTORY).build();

    private JsonBody() {
    }

    /** The parsed body; an empty body is {@code {}} as in v1. */
    static Object parse(byte[] body) {
        if (isBlank(body)) {
            return new java.util.LinkedHashMap<String, Object>();
        }
        try (JsonParser parser = FACTORY.createParser(body)) {
            Object value = READER.anyFrom(parser);
            if (parser.nextToken() != null) {
                throw new InvalidInputException("body", "one JSON value", "more text after it");
            }
            return value;
        } catch (JsonProcessingException e) {
            throw new ApiException(ErrorCode.INVALID_INPUT, "invalid JSON body: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ApiException(ErrorCode.INVALID_INPUT, "invalid JSON body: " + e.getMessage());
        }
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return false;
            }
        }
        return true;
    }
}
