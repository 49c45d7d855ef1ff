package clf.hetzner.internal.sim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Input checks the real API makes, with its error answers; each names the offending field. */
final class SimChecks {
    /** RFC 1123 host names, as the API requires for server names. */
    private static final Pattern HOSTNAME =
            Pattern.compile("^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$");
    /** The {@code labels} schema's value pattern: empty, or ≤63 with alphanumeric ends. */
    private static final Pattern LABEL_VALUE = Pattern.compile("^(|[a-z0-9A-Z]|[a-z0-9A-Z][a-z0-9A-Z._-]{0,61}[a-z0-9A-Z])$");
    private static final Pattern LABEL_PREFIX = Pattern.compile("^(?=.{1,253}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$");
    static final int USER_DATA_MAX_BYTES = 32 * 1024;

    private SimChecks() {
    }

    static boolean isLabelValue(String value) {
        return LABEL_VALUE.matcher(value).matches();
    }

    /** A label key: a non-empty label-value-like name, optionally behind a DNS-name prefix and '/'. */
    static boolean isLabelKey(String key) {
        int slash = key.indexOf('/');
        String name = slash < 0 ? key : key.substring(slash + 1);
        if (slash >= 0 && !LABEL_PREFIX.matcher(key.substring(0, slash)).matches()) {
            return false;
        }
        return !name.isEmpty() && isLabelValue(name);
    }

    static String requiredString(Map<String, Object> body, String field) {
        Object value = body.get(field);
        if (value == null) {
            throw SimError.invalidInput(field, "is missing");
        }
        if (!(value instanceof String) || ((String) value).isBlank()) {
            throw SimError.invalidInput(field, "must be a non-empty string");
        }
        return (String) value;
    }

    static String optionalString(Map<String, Object> body, String field) {
        Object value = body.get(field);
        if (value == null) {
            return null;
        }
        if (!(value instanceof String)) {
            throw SimError.invalidInput(field, "must be a string");
        }
        return (String) value;
    }

    static String serverName(Map<String, Object> body) {
        String name = requiredString(body, "name");
        if (!HOSTNAME.matcher(name).matches()) {
            throw SimError.invalidInput("name", "must be a valid hostname (RFC 1123)");
        }
        return name;
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> labels(Map<String, Object> body) {
        Object value = body.get("labels");
        Map<String, String> labels = new LinkedHashMap<>();
        if (value == null) {
            return labels;
        }
        if (!(value instanceof Map)) {
            throw SimError.invalidInput("labels", "must be an object");
        }
        for (Map.Entry<String, Object> entry : ((Map<String, Object>) value).entrySet()) {
            if (!isLabelKey(entry.getKey())) {
                throw SimError.invalidInput("labels", "invalid label key '" + entry.getKey() + "'");
            }
            if (!(entry.getValue() instanceof String) || !isLabelValue((String) entry.getValue())) {
                throw SimError.invalidInput("labels", "invalid value for label '" + entry.getKey() + "'");
            }
            labels.put(entry.getKey(), (String) entry.getValue());
        }
        return labels;
    }

    @SuppressWarnings("unchecked")
    static List<Object> optionalArray(Map<String, Object> body, String field) {
        Object value = body.get(field);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List)) {
            throw SimError.invalidInput(field, "must be an array");
        }
        return (List<Object>) value;
    }

    static long integer(Object value, String field) {
        if (value instanceof Integer || value instanceof Long) {
            return ((Number) value).longValue();
        }
        throw SimError.invalidInput(field, "must be an integer");
    }

    static void userData(String userData) {
        if (userData != null && userData.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > USER_DATA_MAX_BYTES) {
            throw SimError.invalidInput("user_data", "must be at most " + USER_DATA_MAX_BYTES + " bytes");
        }
    }
}
