package clf.hetzner.openapi;

import clf.hetzner.internal.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Hetzner OpenAPI file from the test resources, with two spellings rewritten that the file
 * uses and the validator library reads differently from the file's intent (the contract itself is
 * unchanged):
 * <ul>
 *   <li>response ranges are written {@code 4xx}/{@code 5xx}; OpenAPI 3.0 spells them {@code 4XX},
 *       the only form the validator matches, so every error answer would otherwise be
 *       "status not defined";</li>
 *   <li>a nullable reference is written {@code {"allOf": [{"$ref": …}], "nullable": true}} (e.g.
 *       {@code server.image}, which the real API answers as null); the validator applies
 *       {@code nullable} to the schema's own type only, so the reference is inlined beside
 *       {@code nullable}.</li>
 * </ul>
 */
final class HcloudSpec {
    private HcloudSpec() {
    }

    /** The rewritten file as JSON text. */
    static String normalizedJson() {
        try (InputStream in = HcloudSpec.class.getResourceAsStream("/hcloud-openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("hcloud-openapi.json is missing from the test resources");
            }
            Map<String, Object> root = Json.parseObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            inlineNullableReferences(root, root);
            upperCaseStatusRanges(root);
            return Json.write(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void upperCaseStatusRanges(Map<String, Object> root) {
        for (Object pathItem : map(root.get("paths")).values()) {
            for (Object operation : map(pathItem).values()) {
                if (operation instanceof Map<?, ?> && map(operation).get("responses") instanceof Map<?, ?> responses) {
                    Map<String, Object> renamed = new LinkedHashMap<>();
                    map(responses).forEach((status, response) ->
                            renamed.put(status.endsWith("xx") ? status.toUpperCase(Locale.ROOT) : status, response));
                    map(operation).put("responses", renamed);
                }
            }
        }
    }

    private static void inlineNullableReferences(Object node, Map<String, Object> root) {
        if (node instanceof Map<?, ?>) {
            Map<String, Object> schema = map(node);
            if (Boolean.TRUE.equals(schema.get("nullable")) && schema.get("allOf") instanceof List<?> allOf
                    && allOf.size() == 1 && map(allOf.get(0)).get("$ref") instanceof String ref) {
                schema.remove("allOf");
                resolve(root, ref).forEach(schema::putIfAbsent);
            }
            schema.values().forEach(child -> inlineNullableReferences(child, root));
        } else if (node instanceof List<?> list) {
            list.forEach(child -> inlineNullableReferences(child, root));
        }
    }

    /** The object a local reference such as {@code #/components/schemas/image} names. */
    private static Map<String, Object> resolve(Map<String, Object> root, String ref) {
        Object node = root;
        for (String token : ref.substring("#/".length()).split("/")) {
            node = map(node).get(token.replace("~1", "/").replace("~0", "~"));
        }
        if (node == null) {
            throw new IllegalStateException("dangling reference " + ref + " in hcloud-openapi.json");
        }
        return map(node);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }
}
