package clf.hetzner.internal.sim;

import java.util.Map;

/**
 * The create body's {@code image}, {@code server_type}, {@code location} and {@code datacenter}
 * are "ID or name" (OpenAPI file, {@code create_server_request}). The schema says string, yet the
 * official clients send a JSON number when they know the id (hcloud-go puts the id in an
 * {@code interface{}} field; hcloud-python sends {@code id_or_name}), and the API accepts both.
 */
final class Reference {
    private Reference() {
    }

    /** The reference as text, or {@code null} when absent; anything but a string or integer is invalid. */
    static String optional(Map<String, Object> body, String field) {
        Object value = body.get(field);
        if (value == null) {
            return null;
        }
        if (value instanceof Integer || value instanceof Long) {
            return value.toString();
        }
        if (value instanceof String text && !text.isBlank()) {
            return text;
        }
        throw SimError.invalidInput(field, "must be an ID or a name");
    }

    static String required(Map<String, Object> body, String field) {
        String reference = optional(body, field);
        if (reference == null) {
            throw SimError.invalidInput(field, "is missing");
        }
        return reference;
    }

    /** Names of these resources never consist of digits only, so digits are an id. */
    static boolean isId(String reference) {
        return !reference.isEmpty() && reference.length() <= 16 && reference.chars().allMatch(Character::isDigit);
    }
}
