package clf.hetzner.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.hetzner.internal.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The validator must reject what the OpenAPI file does not allow, or the contract tests prove nothing. */
class SchemaValidatorTest {
    private final OpenApiSpec spec = OpenApiSpec.load();
    private final SchemaValidator strict = new SchemaValidator(spec, true);
    private final ExchangeValidator exchanges = new ExchangeValidator(spec);

    /** The file's own example of a created server, a known-good document to break in the tests. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> exampleCreateResponse() {
        Map<String, Object> response = OpenApiSpec.map(OpenApiSpec.map(
                spec.operation("POST", "/servers").orElseThrow().body().get("responses")).get("201"));
        Map<String, Object> example = OpenApiSpec.map(OpenApiSpec.map(OpenApiSpec.map(OpenApiSpec.map(
                OpenApiSpec.map(response.get("content")).get("application/json")).get("examples")).get("default")));
        return (Map<String, Object>) Json.parse(Json.write(example.get("value"))); // a deep, mutable copy
    }

    private Map<String, Object> exampleServer() {
        return OpenApiSpec.map(exampleCreateResponse().get("server"));
    }

    private List<String> asServer(Object value) {
        return strict.validate(value, spec.schema("server"), "$");
    }

    @Test
    void acceptsTheFilesOwnExamples() {
        assertEquals(List.of(), strict.validate(exampleCreateResponse(), spec.schema("create_server_response"), "$"));
    }

    @Test
    void rejectsAServerWithoutId() {
        Map<String, Object> server = exampleServer();
        server.remove("id");

        assertEquals(List.of("$: required property 'id' is missing"), asServer(server));
    }

    @Test
    void rejectsWrongTypesEnumValuesAndNulls() {
        Map<String, Object> server = exampleServer();
        server.put("id", "42");
        server.put("status", "booting");
        server.put("name", null);

        List<String> errors = asServer(server);

        assertTrue(errors.contains("$.id: expected integer, got string"), errors.toString());
        assertTrue(errors.contains("$.status: booting is not one of [deleting, initializing, migrating, off, "
                + "rebuilding, running, starting, stopping, unknown]"), errors.toString());
        assertTrue(errors.contains("$.name: null is not allowed"), errors.toString());
    }

    @Test
    void acceptsNullWhereNullableAndRejectsItInRequiredNestedFields() {
        Map<String, Object> server = exampleServer();
        server.put("image", null); // {"allOf":[image], "nullable": true}
        assertEquals(List.of(), asServer(server));

        OpenApiSpec.map(OpenApiSpec.map(server.get("public_net")).get("ipv4")).remove("ip");
        assertEquals(List.of("$.public_net.ipv4: required property 'ip' is missing"), asServer(server));
    }

    @Test
    void rejectsUndeclaredPropertiesOnlyInStrictMode() {
        Map<String, Object> server = exampleServer();
        server.put("made_up", true);

        assertEquals(List.of("$.made_up: property is not declared by the schema"), asServer(server));
        assertEquals(List.of(), new SchemaValidator(spec, false).validate(server, spec.schema("server"), "$"));
    }

    @Test
    void checksPatternsFormatsAndLimits() {
        Map<String, Object> server = exampleServer();
        server.put("labels", Map.of("ok", "-starts-with-dash"));
        server.put("created", "yesterday");
        server.put("id", 9_007_199_254_740_992L);

        List<String> errors = asServer(server);

        assertTrue(errors.stream().anyMatch(e -> e.startsWith("$.labels.ok: '-starts-with-dash' does not match")), errors.toString());
        assertTrue(errors.contains("$.created: 'yesterday' is not a date-time"), errors.toString());
        assertTrue(errors.contains("$.id: 9007199254740992 is above maximum 9007199254740991"), errors.toString());
        List<Object> tooMany = new ArrayList<>();
        for (int i = 0; i < 51; i++) {
            tooMany.add(Map.of("direction", "in", "protocol", "icmp", "source_ips", List.of("0.0.0.0/0")));
        }
        assertEquals(List.of("$.rules: more than maxItems 50"),
                strict.validate(Map.of("rules", tooMany), spec.schema("set_rules_request"), "$"));
    }

    @Test
    void checksOneOfAndAnyOf() {
        Map<String, Object> oneOf = Map.of("oneOf", List.of(Map.of("type", "string"), Map.of("type", "integer")));
        assertEquals(List.of(), strict.validate(3, oneOf, "$"));
        assertEquals(List.of("$: matches 0 of the oneOf schemas instead of exactly one"), strict.validate(true, oneOf, "$"));
        Map<String, Object> anyOf = Map.of("anyOf", List.of(Map.of("type", "number"), Map.of("type", "integer")));
        assertEquals(List.of(), strict.validate(3, anyOf, "$"));
        assertEquals(List.of("$: matches none of the anyOf schemas"), strict.validate("3", anyOf, "$"));
    }

    @Test
    void rejectsACreateRequestWithANumberForName() {
        List<String> errors = exchanges.request("POST", "/servers", "",
                "{\"name\":42,\"server_type\":\"cx22\",\"image\":\"ubuntu-24.04\"}");

        assertEquals(List.of("POST /servers request $.name: expected string, got integer"), errors);
    }

    @Test
    void rejectsRequestsWithoutRequiredFieldsOrBody() {
        assertEquals(List.of("POST /servers request $: required property 'server_type' is missing"),
                exchanges.request("POST", "/servers", "", "{\"name\":\"a\",\"image\":\"ubuntu-24.04\"}"));
        assertEquals(List.of("POST /servers request: the request body is required"),
                exchanges.request("POST", "/servers", "", ""));
        assertEquals(List.of("GET /servers request: the operation takes no body"),
                exchanges.request("GET", "/servers", "", "{}"));
        assertEquals(List.of("POST /servers request $.server_typ: property is not declared by the schema"),
                exchanges.request("POST", "/servers", "",
                        "{\"name\":\"a\",\"server_type\":\"cx22\",\"server_typ\":\"x\",\"image\":\"i\"}"));
    }

    @Test
    void checksQueryAndPathParameters() {
        assertEquals(List.of(), exchanges.request("GET", "/servers",
                "label_selector=a%3Db&page=2&per_page=50&status=running&status=off", ""));
        assertEquals(List.of("GET /servers request: query parameter 'labels' is not declared"),
                exchanges.request("GET", "/servers", "labels=a", ""));
        assertEquals(List.of("GET /servers request query page: 'two' is not a valid integer"),
                exchanges.request("GET", "/servers", "page=two", ""));
        assertEquals(List.of("GET /servers request query status: booting is not one of [running, initializing, "
                        + "starting, stopping, off, deleting, migrating, rebuilding, unknown]"),
                exchanges.request("GET", "/servers", "status=booting", ""));
        assertEquals(List.of("GET /servers request query name: given 2 times but is not an array"),
                exchanges.request("GET", "/servers", "name=a&name=b", ""));
        assertEquals(List.of("GET /servers/abc request path id: 'abc' is not a valid integer"),
                exchanges.request("GET", "/servers/abc", "", ""));
        assertEquals(List.of("PATCH /servers request: no such operation in the OpenAPI file"),
                exchanges.request("PATCH", "/servers", "", ""));
    }

    @Test
    void checksResponseStatusAndBody() {
        assertEquals(List.of("GET /servers response 201: status not declared for the operation"),
                exchanges.response("GET", "/servers", 201, "{}"));
        assertEquals(List.of(), exchanges.response("GET", "/servers", 404,
                "{\"error\":{\"code\":\"not_found\",\"message\":\"gone\",\"details\":null}}"));
        assertEquals(List.of("GET /servers response 500 $.error: required property 'message' is missing"),
                exchanges.response("GET", "/servers", 500, "{\"error\":{\"code\":\"server_error\"}}"));
        assertTrue(exchanges.response("GET", "/servers/1", 200, "<html>").get(0).startsWith("GET /servers/1 response 200 body: not JSON"));
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("servers", List.of());
        page.put("meta", Map.of("pagination", Map.of("page", 1, "per_page", 25)));
        List<String> errors = exchanges.response("GET", "/servers", 200, Json.write(page));
        assertTrue(errors.contains("GET /servers response 200 $.meta.pagination: required property 'next_page' is missing"),
                errors.toString());
    }
}
