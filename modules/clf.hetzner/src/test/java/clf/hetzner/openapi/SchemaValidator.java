package clf.hetzner.openapi;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Validates a parsed JSON value against the OpenAPI 3.0 schema subset the Hetzner file uses:
 * {@code $ref}, type, nullable, enum, properties, required, additionalProperties, items,
 * allOf/oneOf/anyOf, min/max (Length, Items, imum), pattern and the formats date-time, int32,
 * int64 and decimal.
 *
 * <p>{@code nullable: true} beside {@code allOf} (how the file marks nullable references, e.g.
 * {@code server.image}) admits null, as intended by the file and as the real API answers.
 *
 * <p>Strict mode also refuses properties a schema does not declare when it says nothing about
 * {@code additionalProperties}: a client sending {@code server_typ} or a simulator inventing a
 * field would otherwise pass unnoticed.
 */
public final class SchemaValidator {
    private final OpenApiSpec spec;
    private final boolean strict;

    public SchemaValidator(OpenApiSpec spec, boolean strict) {
        this.spec = spec;
        this.strict = strict;
    }

    /** The problems found, each as {@code <where>: <what>}; empty when the value is valid. */
    public List<String> validate(Object value, Map<String, Object> schema, String where) {
        List<String> errors = new ArrayList<>();
        check(value, schema, where, errors);
        return errors;
    }

    private void check(Object value, Map<String, Object> schema, String at, List<String> errors) {
        if (schema.containsKey("$ref")) {
            // OpenAPI 3.0: siblings of $ref are ignored.
            check(value, spec.resolve((String) schema.get("$ref")), at, errors);
            return;
        }
        if (value == null) {
            if (Boolean.TRUE.equals(schema.get("nullable"))) {
                return;
            }
            if (schema.containsKey("type")) {
                errors.add(at + ": null is not allowed");
                return;
            }
        }
        for (Map<String, Object> part : OpenApiSpec.list(schema.get("allOf"))) {
            check(value, part, at, errors);
        }
        if (schema.containsKey("oneOf")) {
            long matching = OpenApiSpec.list(schema.get("oneOf")).stream()
                    .filter(part -> validate(value, part, at).isEmpty()).count();
            if (matching != 1) {
                errors.add(at + ": matches " + matching + " of the oneOf schemas instead of exactly one");
            }
        }
        if (schema.containsKey("anyOf") && OpenApiSpec.list(schema.get("anyOf")).stream()
                .noneMatch(part -> validate(value, part, at).isEmpty())) {
            errors.add(at + ": matches none of the anyOf schemas");
        }
        if (value == null) {
            return;
        }
        String type = (String) schema.get("type");
        if (type != null && !hasType(value, type)) {
            errors.add(at + ": expected " + type + ", got " + describe(value));
            return;
        }
        if (schema.containsKey("enum") && ((List<?>) schema.get("enum")).stream().noneMatch(e -> sameValue(e, value))) {
            errors.add(at + ": " + value + " is not one of " + schema.get("enum"));
        }
        if (value instanceof String) {
            checkString((String) value, schema, at, errors);
        } else if (value instanceof Number) {
            checkNumber((Number) value, schema, at, errors);
        } else if (value instanceof List) {
            checkArray((List<?>) value, schema, at, errors);
        } else if (value instanceof Map) {
            checkObject(OpenApiSpec.map(value), schema, at, errors);
        }
    }

    private void checkString(String value, Map<String, Object> schema, String at, List<String> errors) {
        int length = value.codePointCount(0, value.length());
        if (schema.get("minLength") instanceof Number && length < ((Number) schema.get("minLength")).intValue()) {
            errors.add(at + ": shorter than minLength " + schema.get("minLength"));
        }
        if (schema.get("maxLength") instanceof Number && length > ((Number) schema.get("maxLength")).intValue()) {
            errors.add(at + ": longer than maxLength " + schema.get("maxLength"));
        }
        if (schema.get("pattern") instanceof String && !Pattern.compile((String) schema.get("pattern")).matcher(value).find()) {
            errors.add(at + ": '" + value + "' does not match " + schema.get("pattern"));
        }
        String format = (String) schema.get("format");
        try {
            if ("date-time".equals(format)) {
                OffsetDateTime.parse(value);
            } else if ("decimal".equals(format)) {
                new BigDecimal(value);
            }
        } catch (DateTimeParseException | NumberFormatException e) {
            errors.add(at + ": '" + value + "' is not a " + format);
        }
    }

    private static void checkNumber(Number value, Map<String, Object> schema, String at, List<String> errors) {
        BigDecimal number = new BigDecimal(value.toString());
        if (schema.get("minimum") instanceof Number) {
            BigDecimal minimum = new BigDecimal(schema.get("minimum").toString());
            boolean exclusive = Boolean.TRUE.equals(schema.get("exclusiveMinimum"));
            if (exclusive ? number.compareTo(minimum) <= 0 : number.compareTo(minimum) < 0) {
                errors.add(at + ": " + value + " is below minimum " + minimum);
            }
        }
        if (schema.get("maximum") instanceof Number) {
            BigDecimal maximum = new BigDecimal(schema.get("maximum").toString());
            boolean exclusive = Boolean.TRUE.equals(schema.get("exclusiveMaximum"));
            if (exclusive ? number.compareTo(maximum) >= 0 : number.compareTo(maximum) > 0) {
                errors.add(at + ": " + value + " is above maximum " + maximum);
            }
        }
        String format = (String) schema.get("format");
        if ("int32".equals(format) && (number.compareTo(BigDecimal.valueOf(Integer.MIN_VALUE)) < 0
                || number.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0)) {
            errors.add(at + ": " + value + " does not fit int32");
        }
        if ("int64".equals(format) && (number.compareTo(BigDecimal.valueOf(Long.MIN_VALUE)) < 0
                || number.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0)) {
            errors.add(at + ": " + value + " does not fit int64");
        }
    }

    private void checkArray(List<?> value, Map<String, Object> schema, String at, List<String> errors) {
        if (schema.get("minItems") instanceof Number && value.size() < ((Number) schema.get("minItems")).intValue()) {
            errors.add(at + ": fewer than minItems " + schema.get("minItems"));
        }
        if (schema.get("maxItems") instanceof Number && value.size() > ((Number) schema.get("maxItems")).intValue()) {
            errors.add(at + ": more than maxItems " + schema.get("maxItems"));
        }
        Map<String, Object> items = OpenApiSpec.map(schema.get("items"));
        if (items != null) {
            for (int i = 0; i < value.size(); i++) {
                check(value.get(i), items, at + "[" + i + "]", errors);
            }
        }
    }

    private void checkObject(Map<String, Object> value, Map<String, Object> schema, String at, List<String> errors) {
        for (Object name : (List<?>) schema.getOrDefault("required", List.of())) {
            if (!value.containsKey((String) name)) {
                errors.add(at + ": required property '" + name + "' is missing");
            }
        }
        Map<String, Object> properties = OpenApiSpec.map(schema.getOrDefault("properties", Map.of()));
        Object additional = schema.get("additionalProperties");
        for (Map.Entry<String, Object> entry : value.entrySet()) {
            String where = at + "." + entry.getKey();
            Map<String, Object> property = OpenApiSpec.map(properties.get(entry.getKey()));
            if (property != null) {
                check(entry.getValue(), property, where, errors);
            } else if (additional instanceof Map) {
                check(entry.getValue(), OpenApiSpec.map(additional), where, errors);
            } else if (Boolean.FALSE.equals(additional)
                    || (strict && additional == null && schema.containsKey("properties"))) {
                errors.add(where + ": property is not declared by the schema");
            }
        }
    }

    private static boolean hasType(Object value, String type) {
        return switch (type) {
            case "object" -> value instanceof Map;
            case "array" -> value instanceof List;
            case "string" -> value instanceof String;
            case "boolean" -> value instanceof Boolean;
            case "integer" -> value instanceof Integer || value instanceof Long || value instanceof BigInteger;
            case "number" -> value instanceof Number;
            default -> false;
        };
    }

    private static boolean sameValue(Object expected, Object actual) {
        if (expected instanceof Number && actual instanceof Number) {
            return new BigDecimal(expected.toString()).compareTo(new BigDecimal(actual.toString())) == 0;
        }
        return expected == null ? actual == null : expected.equals(actual);
    }

    private static String describe(Object value) {
        if (value instanceof Map) {
            return "object";
        }
        if (value instanceof List) {
            return "array";
        }
        if (value instanceof String) {
            return "string";
        }
        if (value instanceof Boolean) {
            return "boolean";
        }
        return value instanceof Integer || value instanceof Long || value instanceof BigInteger ? "integer" : "number";
    }
}
