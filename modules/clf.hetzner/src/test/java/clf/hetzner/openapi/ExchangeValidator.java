package clf.hetzner.openapi;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks one HTTP exchange against its operation in the OpenAPI file, in both directions:
 * <ul>
 *   <li>request: the operation exists; every query parameter is declared and its values fit
 *       its schema; required ones are present; path parameters fit; the body is present when
 *       required, absent when none is declared, and valid against the request schema;</li>
 *   <li>response: the status is declared (exactly, as a range like {@code 4xx}, or as default)
 *       and the body is valid against that response's schema, or empty if it has none.</li>
 * </ul>
 */
public final class ExchangeValidator {
    private final OpenApiSpec spec;
    private final SchemaValidator schemas;

    public ExchangeValidator(OpenApiSpec spec) {
        this.spec = spec;
        this.schemas = new SchemaValidator(spec, true);
    }

    public List<String> request(String method, String path, String rawQuery, String body) {
        String where = method + " " + path + " request";
        Optional<OpenApiSpec.Operation> found = spec.operation(method, path);
        if (found.isEmpty()) {
            return List.of(where + ": no such operation in the OpenAPI file");
        }
        OpenApiSpec.Operation operation = found.get();
        List<String> errors = new ArrayList<>();
        checkQuery(operation, rawQuery, where, errors);
        checkPath(operation, path, where, errors);
        Optional<Map<String, Object>> schema = operation.requestSchema();
        boolean hasBody = body != null && !body.isEmpty();
        if (schema.isEmpty()) {
            if (hasBody) {
                errors.add(where + ": the operation takes no body");
            }
        } else if (!hasBody) {
            if (operation.requestBodyRequired()) {
                errors.add(where + ": the request body is required");
            }
        } else {
            parse(body, where + " body", errors).ifPresent(json -> errors.addAll(schemas.validate(json, schema.get(), where + " $")));
        }
        return errors;
    }

    public List<String> response(String method, String path, int status, String body) {
        String where = method + " " + path + " response " + status;
        Optional<OpenApiSpec.Operation> found = spec.operation(method, path);
        if (found.isEmpty()) {
            return List.of(where + ": no such operation in the OpenAPI file");
        }
        Optional<Map<String, Object>> response = found.get().response(status);
        if (response.isEmpty()) {
            return List.of(where + ": status not declared for the operation");
        }
        List<String> errors = new ArrayList<>();
        Optional<Map<String, Object>> schema = OpenApiSpec.Operation.jsonSchema(response.get());
        if (schema.isEmpty()) {
            if (body != null && !body.isEmpty()) {
                errors.add(where + ": the response declares no body");
            }
            return errors;
        }
        parse(body, where + " body", errors).ifPresent(json -> errors.addAll(schemas.validate(json, schema.get(), where + " $")));
        return errors;
    }

    private void checkQuery(OpenApiSpec.Operation operation, String rawQuery, String where, List<String> errors) {
        Map<String, List<String>> query = decode(rawQuery);
        Map<String, Map<String, Object>> declared = new LinkedHashMap<>();
        for (Map<String, Object> parameter : operation.parameters()) {
            if ("query".equals(parameter.get("in"))) {
                declared.put((String) parameter.get("name"), parameter);
            }
        }
        for (Map.Entry<String, List<String>> entry : query.entrySet()) {
            Map<String, Object> parameter = declared.get(entry.getKey());
            if (parameter == null) {
                errors.add(where + ": query parameter '" + entry.getKey() + "' is not declared");
                continue;
            }
            checkParameterValues(parameter, entry.getValue(), where + " query " + entry.getKey(), errors);
        }
        declared.forEach((name, parameter) -> {
            if (Boolean.TRUE.equals(parameter.get("required")) && !query.containsKey(name)) {
                errors.add(where + ": required query parameter '" + name + "' is missing");
            }
        });
    }

    private void checkPath(OpenApiSpec.Operation operation, String path, String where, List<String> errors) {
        String[] template = operation.template().split("/", -1);
        String[] actual = path.split("/", -1);
        for (int i = 0; i < template.length; i++) {
            if (!template[i].startsWith("{")) {
                continue;
            }
            String name = template[i].substring(1, template[i].length() - 1);
            for (Map<String, Object> parameter : operation.parameters()) {
                if ("path".equals(parameter.get("in")) && name.equals(parameter.get("name"))) {
                    checkParameterValues(parameter, List.of(decodePart(actual[i])), where + " path " + name, errors);
                }
            }
        }
    }

    /** Parameters arrive as text; convert by the schema's type, then validate like JSON. */
    private void checkParameterValues(Map<String, Object> parameter, List<String> values, String where,
                                      List<String> errors) {
        Map<String, Object> schema = OpenApiSpec.map(parameter.get("schema"));
        if (schema.containsKey("$ref")) {
            schema = spec.resolve((String) schema.get("$ref"));
        }
        boolean array = "array".equals(schema.get("type"));
        if (!array && values.size() > 1) {
            errors.add(where + ": given " + values.size() + " times but is not an array");
        }
        Map<String, Object> itemSchema = array ? OpenApiSpec.map(schema.get("items")) : schema;
        for (String text : values) {
            Object value = convert(text, (String) itemSchema.get("type"));
            if (value == null) {
                errors.add(where + ": '" + text + "' is not a valid " + itemSchema.get("type"));
            } else {
                errors.addAll(schemas.validate(value, itemSchema, where));
            }
        }
    }

    private static Object convert(String text, String type) {
        if ("integer".equals(type)) {
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException e) {
                return null;
            }
        }
        if ("boolean".equals(type)) {
            return "true".equals(text) ? Boolean.TRUE : "false".equals(text) ? Boolean.FALSE : null;
        }
        return text;
    }

    private static Map<String, List<String>> decode(String rawQuery) {
        Map<String, List<String>> result = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return result;
        }
        for (String pair : rawQuery.split("&")) {
            int equals = pair.indexOf('=');
            String key = decodePart(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decodePart(pair.substring(equals + 1));
            result.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        return result;
    }

    private static String decodePart(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    private static Optional<Object> parse(String body, String where, List<String> errors) {
        if (body == null || body.isEmpty()) {
            errors.add(where + ": empty, expected JSON");
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(JSON.std.anyFrom(body));
        } catch (IOException e) {
            errors.add(where + ": not JSON (" + e.getMessage() + ")");
            return Optional.empty();
        }
    }
}
