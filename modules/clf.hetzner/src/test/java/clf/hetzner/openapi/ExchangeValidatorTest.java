package clf.hetzner.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.hetzner.internal.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The validator must reject what the OpenAPI file does not allow, or the contract tests prove
 * nothing: bad request and answer bodies, undeclared statuses, operations and parameters, and
 * properties the file does not declare. Also proves the two rewrites of {@link HcloudSpec} work.
 */
class ExchangeValidatorTest {
    private final ExchangeValidator exchanges = ExchangeValidator.load();

    /** A server as the simulator renders it, valid against the file. */
    private static Map<String, Object> server() {
        return Json.parseObject("""
                {"id": 42, "name": "my-server", "status": "running", "created": "2016-01-30T23:50:00Z",
                 "public_net": {"ipv4": {"ip": "1.2.3.4", "blocked": false, "dns_ptr": "s.example.com", "id": 1},
                                "ipv6": null, "floating_ips": [], "firewalls": []},
                 "private_net": [], "server_type": %s, "datacenter": %s, "image": null, "iso": null,
                 "rescue_enabled": false, "locked": false, "backup_window": null, "outgoing_traffic": null,
                 "ingoing_traffic": null, "included_traffic": 0, "protection": {"delete": false, "rebuild": false},
                 "labels": {"clf.job": "7"}, "volumes": [], "load_balancers": [], "primary_disk_size": 40,
                 "placement_group": null, "location": %s}
                """.formatted(SERVER_TYPE, DATACENTER, LOCATION));
    }

    private static final String SERVER_TYPE = """
            {"id": 1, "name": "cx23", "description": "CX23", "cores": 2, "memory": 4.0, "disk": 40,
             "deprecated": false, "prices": [], "storage_type": "local", "cpu_type": "shared",
             "architecture": "x86", "deprecation": null,
             "locations": [{"id": 1, "name": "fsn1", "deprecation": null}]}""";

    private static final String LOCATION = """
            {"id": 1, "name": "fsn1", "description": "Falkenstein DC Park 1", "country": "DE", "city": "Falkenstein",
             "latitude": 50.47612, "longitude": 12.370071, "network_zone": "eu-central"}""";

    private static final String DATACENTER = """
            {"id": 1, "name": "fsn1-dc14", "description": "Falkenstein 1 DC14",
             "location": %s,
             "server_types": {"supported": [1], "available": [1], "available_for_migration": [1]}}""".formatted(LOCATION);

    private List<String> answerWith(Map<String, Object> server) {
        return exchanges.response("GET", "/servers/42", 200, Json.write(Map.of("server", server)));
    }

    @Test
    void acceptsAServerWithNullReferencesWhereTheFileAllowsThem() {
        assertEquals(List.of(), answerWith(server())); // image, iso, deprecation: nullable references
    }

    @Test
    void rejectsAnAnswerMissingARequiredProperty() {
        Map<String, Object> server = server();
        server.remove("id");

        assertEquals(List.of("GET /servers/42 response 200: validation.response.body.schema.required: "
                + "[Path '/server'] Object has missing required properties ([\"id\"])"), answerWith(server));
    }

    @Test
    void rejectsWrongTypesEnumValuesNullsFormatsAndLimitsInAnswers() {
        Map<String, Object> server = server();
        server.put("status", "booting");
        server.put("name", null);
        server.put("created", "yesterday");
        server.put("primary_disk_size", "40");

        String errors = String.join("\n", answerWith(server));

        assertTrue(errors.contains("validation.response.body.schema.enum: [Path '/server/status'] "), errors);
        assertTrue(errors.contains("[Path '/server/name'] Instance type (null) does not match"), errors);
        assertTrue(errors.contains("validation.response.body.schema.format.date-time: [Path '/server/created'] "), errors);
        assertTrue(errors.contains("[Path '/server/primary_disk_size'] Instance type (string) does not match"), errors);
        Map<String, Object> tooBig = server();
        tooBig.put("id", 9_007_199_254_740_992L);
        assertEquals(List.of("GET /servers/42 response 200: validation.response.body.schema.maximum: [Path '/server/id'] "
                + "Numeric instance is greater than the required maximum (maximum: 9007199254740991, found: 9007199254740992)"),
                answerWith(tooBig));
    }

    @Test
    void rejectsPropertiesTheFileDoesNotDeclare() {
        Map<String, Object> server = server();
        server.put("made_up", true);

        assertEquals(List.of("GET /servers/42 response 200: validation.response.body.schema.additionalProperties: "
                + "[Path '/server'] Object instance has properties which are not allowed by the schema: [\"made_up\"]"),
                answerWith(server));
        assertEquals(List.of("POST /servers request: validation.request.body.schema.additionalProperties: "
                        + "Object instance has properties which are not allowed by the schema: [\"server_typ\"]"),
                exchanges.request("POST", "/servers", "", "{\"name\":\"a\",\"server_type\":\"cx22\",\"server_typ\":\"x\",\"image\":\"i\"}"));
    }

    @Test
    void rejectsBadRequestBodies() {
        assertEquals(List.of(), exchanges.request("POST", "/servers", "", "{\"name\":\"a\",\"server_type\":\"cx22\",\"image\":\"ubuntu-24.04\"}"));
        assertEquals(List.of("POST /servers request: validation.request.body.schema.type: [Path '/name'] "
                        + "Instance type (integer) does not match any allowed primitive type (allowed: [\"string\"])"),
                exchanges.request("POST", "/servers", "", "{\"name\":42,\"server_type\":\"cx22\",\"image\":\"ubuntu-24.04\"}"));
        assertEquals(List.of("POST /servers request: validation.request.body.schema.required: "
                        + "Object has missing required properties ([\"server_type\"])"),
                exchanges.request("POST", "/servers", "", "{\"name\":\"a\",\"image\":\"ubuntu-24.04\"}"));
        assertEquals(List.of("POST /servers request: validation.request.body.missing: A request body is required but none found."),
                exchanges.request("POST", "/servers", "", ""));
        assertEquals(List.of("GET /servers request: validation.request.body.unexpected: No request body is expected but one was found."),
                exchanges.request("GET", "/servers", "", "{}"));
    }

    @Test
    void checksQueryAndPathParameters() {
        assertEquals(List.of(), exchanges.request("GET", "/servers",
                "label_selector=a%3Db&page=2&per_page=50&status=running&status=off", ""));
        assertEquals(List.of("GET /servers request: validation.request.parameter.query.unexpected: "
                        + "Query parameter 'labels' is unexpected on path \"/servers\""),
                exchanges.request("GET", "/servers", "labels=a", ""));
        assertEquals(2, exchanges.request("GET", "/actions", "id=1&id=2&page=1&per_page=50", "").size()); // each named
        assertTrue(exchanges.request("GET", "/servers", "page=two", "").get(0)
                .startsWith("GET /servers request: validation.request.parameter.schema.type: "));
        assertTrue(exchanges.request("GET", "/servers", "status=booting", "").get(0)
                .startsWith("GET /servers request: validation.request.parameter.schema.enum: "));
        assertEquals(List.of("GET /servers request: validation.request.parameter.collection.invalid: "
                        + "Multiple values found for parameter 'name' but it is not an array."),
                exchanges.request("GET", "/servers", "name=a&name=b", ""));
        assertTrue(exchanges.request("GET", "/servers/abc", "", "").get(0)
                .startsWith("GET /servers/abc request: validation.request.parameter.schema.type: "));
    }

    @Test
    void rejectsUnknownOperations() {
        assertEquals(List.of("PATCH /servers request: validation.request.operation.notAllowed: "
                + "PATCH operation not allowed on path '/servers'."), exchanges.request("PATCH", "/servers", "", ""));
        assertEquals(List.of("GET /servers/42/made_up request: validation.request.path.missing: "
                        + "No API path found that matches request '/servers/42/made_up'."),
                exchanges.request("GET", "/servers/42/made_up", "", ""));
        assertEquals(List.of("PATCH /servers response 200: validation.request.operation.notAllowed: "
                + "PATCH operation not allowed on path '/servers'."), exchanges.response("PATCH", "/servers", 200, "{}"));
        assertEquals(List.of(), exchanges.request("GET", "/servers/actions", "", "")); // a literal beats /servers/{id}
    }

    @Test
    void checksAnswerStatusAndErrorBodies() {
        assertEquals(List.of("GET /servers response 201: validation.response.status.unknown: "
                + "Response status 201 not defined for path '/servers'."), exchanges.response("GET", "/servers", 201, "{}"));
        assertEquals(List.of(), exchanges.response("GET", "/servers", 404, // declared as the range 4xx
                "{\"error\":{\"code\":\"not_found\",\"message\":\"gone\",\"details\":null}}"));
        assertEquals(List.of("GET /servers response 500: validation.response.body.schema.required: "
                        + "[Path '/error'] Object has missing required properties ([\"message\"])"),
                exchanges.response("GET", "/servers", 500, "{\"error\":{\"code\":\"server_error\"}}"));
        assertTrue(exchanges.response("GET", "/servers/1", 200, "<html>").get(0)
                .startsWith("GET /servers/1 response 200: validation.response.body.schema.invalidJson: "));
        assertEquals(List.of("DELETE /servers/1 response 200: validation.response.body.missing: "
                        + "DELETE on path '/servers/{id}' defines a response schema but no response body found."),
                exchanges.response("DELETE", "/servers/1", 200, ""));
    }
}
