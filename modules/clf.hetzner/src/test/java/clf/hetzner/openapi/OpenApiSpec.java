package clf.hetzner.openapi;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The Hetzner OpenAPI file from the test resources: finds the operation of a concrete request
 * and resolves {@code $ref}s. Loaded once per test JVM (it is 1.3 MB).
 */
public final class OpenApiSpec {
    private static OpenApiSpec shared;
    private final Map<String, Object> root;

    private OpenApiSpec(Map<String, Object> root) {
        this.root = root;
    }

    public static synchronized OpenApiSpec load() {
        if (shared == null) {
            try (InputStream in = OpenApiSpec.class.getResourceAsStream("/hcloud-openapi.json")) {
                if (in == null) {
                    throw new IllegalStateException("hcloud-openapi.json is missing from the test resources");
                }
                shared = new OpenApiSpec(JSON.std.mapFrom(in));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return shared;
    }

    /** One operation of the file with the path item it belongs to. */
    public record Operation(String method, String template, Map<String, Object> pathItem, Map<String, Object> body) {
        /** Path-level parameters, overridden by operation-level ones of the same name and place. */
        public List<Map<String, Object>> parameters() {
            List<Map<String, Object>> result = new ArrayList<>(list(body.get("parameters")));
            for (Map<String, Object> shared : list(pathItem.get("parameters"))) {
                boolean overridden = result.stream().anyMatch(p -> p.get("name").equals(shared.get("name"))
                        && p.get("in").equals(shared.get("in")));
                if (!overridden) {
                    result.add(shared);
                }
            }
            return result;
        }

        /** The JSON schema of the request body, if the operation has one. */
        public Optional<Map<String, Object>> requestSchema() {
            return jsonSchema(map(body.get("requestBody")));
        }

        public boolean requestBodyRequired() {
            Map<String, Object> requestBody = map(body.get("requestBody"));
            return requestBody != null && Boolean.TRUE.equals(requestBody.get("required"));
        }

        /** The response object for a status: exact code, then {@code 4XX}-style range, then default. */
        public Optional<Map<String, Object>> response(int status) {
            Map<String, Object> responses = map(body.get("responses"));
            for (String key : List.of(Integer.toString(status), (status / 100) + "xx", (status / 100) + "XX", "default")) {
                if (responses.containsKey(key)) {
                    return Optional.of(map(responses.get(key)));
                }
            }
            return Optional.empty();
        }

        public static Optional<Map<String, Object>> jsonSchema(Map<String, Object> withContent) {
            if (withContent == null) {
                return Optional.empty();
            }
            Map<String, Object> content = map(withContent.get("content"));
            Map<String, Object> json = content == null ? null : map(content.get("application/json"));
            return json == null ? Optional.empty() : Optional.ofNullable(map(json.get("schema")));
        }
    }

    /**
     * The operation for a method and a concrete path such as {@code /servers/42}. Literal segments
     * beat templated ones, so {@code /servers/actions} is not taken for {@code /servers/{id}}.
     */
    public Optional<Operation> operation(String method, String path) {
        String[] segments = path.split("/", -1);
        Operation best = null;
        int bestLiterals = -1;
        for (Map.Entry<String, Object> entry : map(root.get("paths")).entrySet()) {
            String[] template = entry.getKey().split("/", -1);
            if (template.length != segments.length) {
                continue;
            }
            int literals = 0;
            boolean matches = true;
            for (int i = 0; i < template.length && matches; i++) {
                if (template[i].startsWith("{") && template[i].endsWith("}")) {
                    matches = !segments[i].isEmpty();
                } else {
                    matches = template[i].equals(segments[i]);
                    literals++;
                }
            }
            Map<String, Object> pathItem = map(entry.getValue());
            Map<String, Object> op = map(pathItem.get(method.toLowerCase(Locale.ROOT)));
            if (matches && op != null && literals > bestLiterals) {
                best = new Operation(method, entry.getKey(), pathItem, op);
                bestLiterals = literals;
            }
        }
        return Optional.ofNullable(best);
    }

    /** A named schema of {@code components/schemas}. */
    public Map<String, Object> schema(String name) {
        return resolve("#/components/schemas/" + name);
    }

    /** The object a local JSON pointer such as {@code #/components/schemas/server} names. */
    public Map<String, Object> resolve(String ref) {
        if (!ref.startsWith("#/")) {
            throw new IllegalArgumentException("only local references are supported: " + ref);
        }
        Object node = root;
        for (String token : ref.substring(2).split("/")) {
            node = map(node).get(token.replace("~1", "/").replace("~0", "~"));
            if (node == null) {
                throw new IllegalArgumentException("dangling reference " + ref);
            }
        }
        return map(node);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Object value) {
        return value == null ? List.of() : (List<Map<String, Object>>) value;
    }
}
