package clf.server.internal.web;

import clf.protocol.ErrorCode;
import clf.protocol.Protocol;
import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The bot socket's error body, {@code {"protocolVersion":1,"error":{"message":…,"code":…}}}: what
 * the bot API, the Content-Length check in front of it and the socket's connection refusals send.
 */
public final class V1Errors {
    private V1Errors() {
    }

    public static byte[] body(ErrorCode code, String message) {
        return body(code, message, Map.of());
    }

    /** As {@link #body(ErrorCode, String)} with additive fields in {@code error} (e.g. a 429's limit). */
    public static byte[] body(ErrorCode code, String message, Map<String, Object> more) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", message);
        error.put("code", code.wireName());
        error.putAll(more);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("protocolVersion", Protocol.VERSION);
        body.put("error", error);
        try {
            return JSON.std.with(JSON.Feature.WRITE_NULL_PROPERTIES).asBytes(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
