package clf.hetzner.internal;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * JSON through Jackson jr as plain maps and lists, plus typed accessors that fail with a
 * {@link JsonShapeException} naming the field. Null map entries are written, because the API's
 * schemas require many nullable fields to be present (e.g. {@code "finished": null}).
 */
public final class Json {
    private static final JSON JSON_RW = JSON.std.with(JSON.Feature.WRITE_NULL_PROPERTIES);

    private Json() {
    }

    public static Object parse(String text) {
        try {
            return JSON_RW.anyFrom(text);
        } catch (IOException e) {
            throw new JsonShapeException("not JSON: " + e.getClass().getSimpleName());
        }
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(String text) {
        Object value = text == null || text.isBlank() ? null : parse(text);
        if (!(value instanceof Map)) {
            throw new JsonShapeException("expected a JSON object");
        }
        return (Map<String, Object>) value;
    }

    public static String write(Object value) {
        try {
            return JSON_RW.asString(value);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> object(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        if (!(value instanceof Map)) {
            throw new JsonShapeException("'" + key + "' is not an object");
        }
        return (Map<String, Object>) value;
    }

    /** The object at {@code key}, or {@code null} when absent or JSON null. */
    public static Map<String, Object> optObject(Map<String, Object> parent, String key) {
        return parent.get(key) == null ? null : object(parent, key);
    }

    @SuppressWarnings("unchecked")
    public static List<Object> array(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        if (!(value instanceof List)) {
            throw new JsonShapeException("'" + key + "' is not an array");
        }
        return (List<Object>) value;
    }

    public static String string(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        if (!(value instanceof String)) {
            throw new JsonShapeException("'" + key + "' is not a string");
        }
        return (String) value;
    }

    public static String optString(Map<String, Object> parent, String key) {
        return parent.get(key) == null ? null : string(parent, key);
    }

    public static long integer(Map<String, Object> parent, String key) {
        OptionalLong value = optInteger(parent, key);
        if (value.isEmpty()) {
            throw new JsonShapeException("'" + key + "' is missing");
        }
        return value.getAsLong();
    }

    public static OptionalLong optInteger(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        if (value == null) {
            return OptionalLong.empty();
        }
        if (value instanceof Integer || value instanceof Long) {
            return OptionalLong.of(((Number) value).longValue());
        }
        throw new JsonShapeException("'" + key + "' is not an integer");
    }

    /** A {@code labels}-style object of string values; absent means empty. */
    public static Map<String, String> stringMap(Map<String, Object> parent, String key) {
        Map<String, Object> raw = optObject(parent, key);
        Map<String, String> result = new LinkedHashMap<>();
        if (raw != null) {
            for (Map.Entry<String, Object> entry : raw.entrySet()) {
                if (!(entry.getValue() instanceof String)) {
                    throw new JsonShapeException("'" + key + "." + entry.getKey() + "' is not a string");
                }
                result.put(entry.getKey(), (String) entry.getValue());
            }
        }
        return result;
    }
}
