package clf.server.internal.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The response shapes of the original v1 implementation (reference spec §1.1 and §1.3), as its
 * client checks them: required fields with their types and values; extra fields are allowed
 * (its schemas drop unknown keys), a missing or mistyped one, or a kind or status it does not
 * know, makes the original CLI exit 2.
 */
final class V1Shapes {
    /** A check of one JSON value; adds what is wrong, with where, to {@code errors}. */
    interface Shape {
        void check(Object value, String at, List<String> errors);
    }

    private static final Pattern ISO_MILLIS = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");
    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    static final Shape JOB_SUMMARY = object(Map.ofEntries(
            Map.entry("jobId", matching(UUID)),
            Map.entry("kind", oneOf("cattle.spawn", "cattle.reap")),
            Map.entry("status", oneOf("queued", "running", "done", "failed", "canceled")),
            Map.entry("requester", nonEmptyString()),
            Map.entry("idempotencyKey", string()),
            Map.entry("createdAt", matching(ISO_MILLIS)),
            Map.entry("updatedAt", matching(ISO_MILLIS)),
            Map.entry("runAt", matching(ISO_MILLIS)),
            Map.entry("attempt", integer(0)),
            Map.entry("maxAttempts", integer(1)),
            Map.entry("lastError", string())),
            // v1 omits result when there is none; when present it is any JSON but null
            Map.of("result", notNull()));

    static final Shape JOB_DETAIL = both(JOB_SUMMARY, object(Map.of("payload", any()), Map.of()));

    static final Shape ENQUEUE = object(Map.of("protocolVersion", literal(1), "jobId", matching(UUID)), Map.of());
    static final Shape LIST = object(Map.of("protocolVersion", literal(1), "jobs", arrayOf(JOB_SUMMARY)), Map.of());
    static final Shape SHOW = object(Map.of("protocolVersion", literal(1), "job", JOB_DETAIL), Map.of());
    static final Shape CANCEL = object(Map.of("protocolVersion", literal(1), "ok", literal(true)), Map.of());
    static final Shape HEALTH = object(Map.of("ok", literal(true)), Map.of());
    /** Every non-2xx answer. */
    static final Shape ERROR = object(Map.of("protocolVersion", literal(1),
            "error", object(Map.of("message", nonEmptyString()), Map.of())), Map.of());

    private V1Shapes() {
    }

    /** What is wrong with {@code value}; empty when it has the shape. */
    static List<String> problems(Shape shape, Object value) {
        List<String> errors = new ArrayList<>();
        shape.check(value, "$", errors);
        return errors;
    }

    static Shape object(Map<String, Shape> required, Map<String, Shape> optional) {
        return (value, at, errors) -> {
            if (!(value instanceof Map<?, ?> map)) {
                errors.add(at + ": expected an object, got " + value);
                return;
            }
            required.forEach((name, shape) -> {
                if (!map.containsKey(name)) {
                    errors.add(at + "." + name + ": missing");
                } else {
                    shape.check(map.get(name), at + "." + name, errors);
                }
            });
            optional.forEach((name, shape) -> {
                if (map.containsKey(name)) {
                    shape.check(map.get(name), at + "." + name, errors);
                }
            });
        };
    }

    static Shape both(Shape first, Shape second) {
        return (value, at, errors) -> {
            first.check(value, at, errors);
            second.check(value, at, errors);
        };
    }

    static Shape arrayOf(Shape item) {
        return (value, at, errors) -> {
            if (!(value instanceof List<?> list)) {
                errors.add(at + ": expected an array, got " + value);
                return;
            }
            for (int i = 0; i < list.size(); i++) {
                item.check(list.get(i), at + "[" + i + "]", errors);
            }
        };
    }

    static Shape string() {
        return (value, at, errors) -> {
            if (!(value instanceof String)) {
                errors.add(at + ": expected a string, got " + value);
            }
        };
    }

    static Shape nonEmptyString() {
        return (value, at, errors) -> {
            if (!(value instanceof String text) || text.isEmpty()) {
                errors.add(at + ": expected a non-empty string, got " + value);
            }
        };
    }

    static Shape matching(Pattern pattern) {
        return (value, at, errors) -> {
            if (!(value instanceof String text) || !pattern.matcher(text).matches()) {
                errors.add(at + ": expected a string matching " + pattern + ", got " + value);
            }
        };
    }

    static Shape oneOf(String... values) {
        List<String> allowed = List.of(values);
        return (value, at, errors) -> {
            if (!allowed.contains(value)) {
                errors.add(at + ": expected one of " + allowed + ", got " + value);
            }
        };
    }

    static Shape integer(int min) {
        return (value, at, errors) -> {
            if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() < min) {
                errors.add(at + ": expected an integer >= " + min + ", got " + value);
            }
        };
    }

    static Shape literal(Object expected) {
        return (value, at, errors) -> {
            if (!expected.equals(value)) {
                errors.add(at + ": expected " + expected + ", got " + value);
            }
        };
    }

    static Shape notNull() {
        return (value, at, errors) -> {
            if (value == null) {
                errors.add(at + ": expected a value or no field, got null");
            }
        };
    }

    static Shape any() {
        return (value, at, errors) -> { };
    }
}
