package clf.protocol;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed reads of one JSON object (as Jackson jr parses it), each failure naming the field by
 * its full path ({@code payload.task.message}) and the type that was expected.
 */
public final class JsonFields {
    private final Map<String, Object> map;
    private final String path;

    private JsonFields(Map<String, Object> map, String path) {
        this.map = map;
        this.path = path;
    }

    /** {@code value} as an object; {@code path} names it in errors ({@code ""} for the whole body). */
    @SuppressWarnings("unchecked")
    public static JsonFields of(Object value, String path) {
        if (!(value instanceof Map)) {
            throw new InvalidInputException(path.isEmpty() ? "body" : path, "a JSON object", shown(value));
        }
        return new JsonFields((Map<String, Object>) value, path);
    }

    public boolean has(String name) {
        return map.containsKey(name) && map.get(name) != null;
    }

    /** The raw value of {@code name}, or null. */
    public Object value(String name) {
        return map.get(name);
    }

    public String field(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    /** A string that must be present. */
    public String requiredString(String name) {
        if (!has(name)) {
            throw new InvalidInputException(field(name), "a string", shown(null));
        }
        return string(name, null);
    }

    /** A string, or {@code fallback} when absent or null. */
    public String string(String name, String fallback) {
        Object value = map.get(name);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof String text)) {
            throw new InvalidInputException(field(name), "a string", shown(value));
        }
        return text;
    }

    /** A whole number that fits in an int, or {@code fallback} when absent or null. */
    public Integer integer(String name, Integer fallback) {
        Object value = map.get(name);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Integer number) {
            return number;
        }
        if (value instanceof Long || value instanceof BigInteger) {
            throw new InvalidInputException(field(name), "a whole number from " + Integer.MIN_VALUE + " to "
                    + Integer.MAX_VALUE, shown(value));
        }
        throw new InvalidInputException(field(name), "a whole number", shown(value));
    }

    /** A whole number that fits in a long, or {@code fallback} when absent or null. */
    public Long longValue(String name, Long fallback) {
        Object value = map.get(name);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Integer || value instanceof Long) {
            return ((Number) value).longValue();
        }
        throw new InvalidInputException(field(name), "a whole number", shown(value));
    }

    /** Any JSON number, or {@code fallback} when absent or null. */
    public Double number(String name, Double fallback) {
        Object value = map.get(name);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Number number) {
            return number.doubleValue();
        }
        throw new InvalidInputException(field(name), "a number", shown(value));
    }

    /** An array that must be present. */
    public List<?> list(String name) {
        Object value = map.get(name);
        if (!(value instanceof List<?> list)) {
            throw new InvalidInputException(field(name), "an array", shown(value));
        }
        return list;
    }

    /** The names of the object's members, in order. */
    public Set<String> names() {
        return map.keySet();
    }

    /** true or false, or {@code fallback} when absent or null. */
    public Boolean bool(String name, Boolean fallback) {
        Object value = map.get(name);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof Boolean flag)) {
            throw new InvalidInputException(field(name), "true or false", shown(value));
        }
        return flag;
    }

    /** A nested object that must be present. */
    public JsonFields object(String name) {
        return of(map.get(name), field(name));
    }

    /** A nested object, or null when absent or null. */
    public JsonFields objectOrNull(String name) {
        return has(name) ? object(name) : null;
    }

    /** Refuses keys other than {@code known}: a misspelt field must not be silently ignored. */
    public void allowOnly(Set<String> known) {
        for (String key : map.keySet()) {
            if (!known.contains(key)) {
                throw new InvalidInputException(field(key), "no such field (known: "
                        + String.join(", ", new TreeSet<>(known)) + ")", shown(map.get(key)));
            }
        }
    }

    /** Describes a JSON value for an error message: {@code "5" (a string)}, {@code 5 (a number)}. */
    public static Object shown(Object value) {
        String text;
        if (value == null) {
            text = "nothing";
        } else if (value instanceof String s) {
            text = "\"" + (s.length() > 60 ? s.substring(0, 60) + "…" : s) + "\" (a string)";
        } else if (value instanceof Boolean) {
            text = value + " (a boolean)";
        } else if (value instanceof Number) {
            text = value + " (a number)";
        } else if (value instanceof List) {
            text = "an array";
        } else if (value instanceof Map) {
            text = "an object";
        } else {
            text = value.toString();
        }
        return new Shown(text);
    }

    /** Shown as is (InvalidInputException quotes plain strings). */
    private record Shown(String text) {
        @Override
        public String toString() {
            return text;
        }
    }
}
