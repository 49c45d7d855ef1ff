package clf.server.internal.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouteTableTest {
    final RouteTable<String> table = RouteTable.<String>builder()
            .get("/v1/jobs", "list")
            .post("/v1/jobs/enqueue", "enqueue")
            .get("/v1/jobs/{jobId}", "show")
            .add(Methods.DELETE, "/v1/jobs/{jobId}", "delete")
            .post("/v1/jobs/{jobId}/cancel", "cancel")
            .build();

    RouteTable.Match<String> match(HttpString method, String path) {
        return table.match(method, path);
    }

    @Test
    void aTemplateParameterMatchesOneNonEmptySegmentAndIsPassedOn() {
        assertEquals(new RouteTable.Found<>("cancel", Map.of("jobId", "j-1")), match(Methods.POST, "/v1/jobs/j-1/cancel"));
        assertEquals(new RouteTable.Found<>("show", Map.of("jobId", "a b")), match(Methods.GET, "/v1/jobs/a b"));
        assertInstanceOf(RouteTable.NotFound.class, match(Methods.POST, "/v1/jobs//cancel"));
        assertInstanceOf(RouteTable.NotFound.class, match(Methods.GET, "/v1/jobs/"), "a trailing slash is no route");
        assertInstanceOf(RouteTable.NotFound.class, match(Methods.GET, "/v1/jobs/x/y"));
        assertInstanceOf(RouteTable.NotFound.class, match(Methods.GET, "v1/jobs"), "not an absolute path");
    }

    @Test
    void aLiteralSegmentWinsOverAParameterSoItsMethodsAreTheAllowedOnes() {
        assertEquals(new RouteTable.Found<>("enqueue", Map.of()), match(Methods.POST, "/v1/jobs/enqueue"));
        assertEquals(new RouteTable.WrongMethod<>("POST"), match(Methods.GET, "/v1/jobs/enqueue"),
                "not the {jobId} route: enqueue is a path of its own");
    }

    @Test
    void aKnownPathWithAnotherMethodListsEveryMethodOfItsTemplateInTableOrder() {
        assertEquals(new RouteTable.WrongMethod<>("GET, DELETE"), match(Methods.PUT, "/v1/jobs/j-1"));
        assertEquals(new RouteTable.WrongMethod<>("GET"), match(Methods.HEAD, "/v1/jobs"));
        assertEquals(new RouteTable.Found<>("list", Map.of()), match(new HttpString("get"), "/v1/jobs"),
                "methods compare as Undertow's do, ignoring case");
    }

    @Test
    void aRouteGivenTwiceOrARelativeTemplateIsRefused() {
        assertEquals("route GET /a given twice", assertThrows(IllegalArgumentException.class,
                () -> RouteTable.<String>builder().get("/a", "x").get("/a", "y")).getMessage());
        assertEquals("template: an absolute path, got 'a'", assertThrows(IllegalArgumentException.class,
                () -> RouteTable.<String>builder().get("a", "x")).getMessage());
    }
}
