package clf.hetzner.internal;

import java.util.List;
import java.util.Map;

/**
 * Turns what Hetzner answered into text that may be logged and shown to bots: Hetzner's error
 * code and message (from {@code {"error":{"code","message","details"}}}), secrets replaced, control
 * characters flattened and at most {@value #MAX_CHARS} characters. The reference copied up to
 * 64 KiB of body into job errors (spec §9.1.7); this is the fix.
 */
public final class ErrorText {
    static final int MAX_CHARS = 300;
    private static final int MIN_SECRET_CHARS = 4;

    private ErrorText() {
    }

    /** Hetzner's code ({@code ""} if none) and the scrubbed message or body excerpt. */
    public record ApiError(String code, String message) {
    }

    public static ApiError parse(String body, List<String> secrets) {
        try {
            Map<String, Object> error = Json.object(Json.parseObject(body), "error");
            String code = Json.optString(error, "code");
            String message = Json.optString(error, "message");
            return new ApiError(safe(code == null ? "" : code, secrets, 60),
                    safe(message == null ? "" : message, secrets, MAX_CHARS));
        } catch (JsonShapeException e) {
            // Not Hetzner's error object (e.g. a proxy's HTML page): keep a short excerpt.
            return new ApiError("", safe(body == null ? "" : body, secrets, MAX_CHARS));
        }
    }

    /** {@code text} with every secret replaced, whitespace flattened and shortened to {@code max}. */
    public static String safe(String text, List<String> secrets, int max) {
        String result = text;
        for (String secret : secrets) {
            if (secret != null && secret.length() >= MIN_SECRET_CHARS) {
                result = result.replace(secret, "<redacted>");
            }
        }
        result = result.replaceAll("[\\p{Cntrl}\\s]+", " ").trim();
        if (result.length() > max) {
            result = result.substring(0, max) + "…(truncated)";
        }
        return result;
    }
}
