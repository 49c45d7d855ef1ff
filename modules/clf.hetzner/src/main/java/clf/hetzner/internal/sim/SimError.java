package clf.hetzner.internal.sim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An error answer in the API's shape {@code {"error":{"code","message","details"}}}. Codes and
 * statuses follow Hetzner's documented error table (the OpenAPI file only says "4xx"/"5xx"):
 * invalid_input and json_error 400, unauthorized 401, not_found 404, uniqueness_error 409,
 * rate_limit_exceeded 429, server_error 500.
 */
public final class SimError extends RuntimeException {
    private final int status;
    private final String code;
    private final Map<String, Object> details;

    public SimError(int status, String code, String message, Map<String, Object> details) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.details = details;
    }

    /** Hetzner's invalid_input names the fields and what is wrong with each. */
    public static SimError invalidInput(String field, String problem) {
        Map<String, Object> fieldError = new LinkedHashMap<>();
        fieldError.put("name", field);
        fieldError.put("messages", List.of(problem));
        return new SimError(400, "invalid_input", "invalid input in field '" + field + "'",
                Map.of("fields", List.of(fieldError)));
    }

    /** invalid_input with the API's own message, e.g. "location 'ash' not found". */
    public static SimError invalidInput(String field, String message, String problem) {
        Map<String, Object> fieldError = new LinkedHashMap<>();
        fieldError.put("name", field);
        fieldError.put("messages", List.of(problem));
        return new SimError(400, "invalid_input", message, Map.of("fields", List.of(fieldError)));
    }

    public static SimError jsonError(String message) {
        return new SimError(400, "json_error", message, null);
    }

    public static SimError notFound(String message) {
        return new SimError(404, "not_found", message, null);
    }

    public static SimError uniqueness(String field) {
        return new SimError(409, "uniqueness_error", field + " is already used",
                Map.of("fields", List.of(Map.of("name", field))));
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** Hetzner's details object, or {@code null}. */
    public Map<String, Object> details() {
        return details;
    }
}
