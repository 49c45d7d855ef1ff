package clf.server.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import clf.server.internal.dev.DevDaemonFixture;
import clf.server.internal.status.SocketHttp;
import clf.server.internal.web.RouteTable;
import java.io.IOException;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The bot API's unknown routes and wrong methods, on the real daemon's socket (as this test's operator user). */
class BotApiRoutesTest extends DevDaemonFixture {
    @BeforeEach
    void startDaemon() throws IOException {
        start(Map.of());
    }

    @Test
    void aWrongMethodIs405NamingTheMethodToUseInTheBodyAndTheAllowHeader() throws IOException {
        String[][] cases = {{"POST", "/healthz", "GET"}, {"PUT", "/metrics", "GET"}, {"DELETE", "/v1/status", "GET"},
            {"DELETE", "/v1/jobs", "GET"}, {"GET", "/v1/jobs/enqueue", "POST"}, {"POST", "/v1/jobs/some-id", "GET"},
            {"GET", "/v1/jobs/some-id/cancel", "POST"}, {"PUT", "/v1/jobs/some-id/events", "GET"}};
        for (String[] c : cases) {
            SocketHttp.Response answer = SocketHttp.request(socket, c[0], c[1]);
            String what = c[0] + " " + c[1];
            assertEquals(405, answer.status(), what);
            assertEquals(c[2], answer.header("allow"), what);
            assertEquals(Map.of("message", "method " + c[0] + " not allowed on " + c[1] + "; use " + c[2],
                    "code", "method_not_allowed"), answer.json().get("error"), what);
        }
    }

    @Test
    void everyRouteOfTheTableAnswersAnotherMethodWith405AndTheTemplatesMethodsAsAllow() throws IOException {
        for (RouteTable.Route<BotApi.Handler> route : BotApi.ROUTES.routes()) {
            String path = route.template().replace("{jobId}", "some-id");
            String allow = BotApi.ROUTES.routes().stream().filter(r -> r.template().equals(route.template()))
                    .map(r -> r.method().toString()).collect(Collectors.joining(", "));
            for (String method : new String[] {"GET", "POST", "PUT", "DELETE", "PATCH"}) {
                if (allow.contains(method)) {
                    continue;
                }
                SocketHttp.Response answer = SocketHttp.request(socket, method, path);
                assertEquals(405, answer.status(), method + " " + path);
                assertEquals(allow, answer.header("allow"), method + " " + path);
            }
        }
    }

    @Test
    void aPathNoRouteFitsIs404WithoutAnAllowHeader() throws IOException {
        for (String path : new String[] {"/nope", "/v1/jobs/", "/v1/jobs//cancel", "/v1/jobs/x/y/z", "/healthz/",
            "/v1/jobs/x/unknown", "/v1"}) {
            SocketHttp.Response answer = SocketHttp.request(socket, "POST", path);
            assertEquals(404, answer.status(), path);
            assertNull(answer.header("allow"), path);
            assertEquals(Map.of("message", "not found: " + path, "code", "not_found"), answer.json().get("error"), path);
        }
    }
}
