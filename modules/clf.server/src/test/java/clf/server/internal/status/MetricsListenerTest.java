package clf.server.internal.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.server.internal.Daemon;
import clf.server.internal.config.OrchestratorConfig;
import clf.server.internal.log.Log;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CLF_METRICS_LISTEN of a real daemon: GET /metrics over loopback TCP, and nothing of the bot
 * API (the socat recipe it replaces handed all of it to every local user).
 */
class MetricsListenerTest {
    @TempDir
    Path dir;
    final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    final Log log = new Log(new PrintStream(logged, true, StandardCharsets.UTF_8), Clock.systemUTC());
    final HttpClient http = HttpClient.newHttpClient();
    Daemon daemon;

    Daemon start(Map<String, String> extra) throws Exception {
        Map<String, String> env = new HashMap<>(Map.of(
                "CLF_DB_PATH", dir.resolve("state/state.sqlite").toString(),
                "CLF_SOCKET_PATH", dir.resolve("run/bot.sock").toString(),
                "CLF_CATTLE_ENABLED", "0",
                "CLF_SHUTDOWN_GRACE_MS", "100"));
        env.putAll(extra);
        daemon = Daemon.start(OrchestratorConfig.fromEnv(env), env, log, Clock.systemUTC());
        return daemon;
    }

    @AfterEach
    void stop() {
        if (daemon != null) {
            daemon.close();
        }
    }

    HttpResponse<String> send(String method, String path) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + daemon.metricsListener().getPort() + path);
        return http.send(HttpRequest.newBuilder(uri).method(method, method.equals("POST")
                ? HttpRequest.BodyPublishers.ofString("{\"protocolVersion\":1,\"kind\":\"cattle.reap\"}")
                : HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void onlyGetMetricsIsServed() throws Exception {
        start(Map.of("CLF_METRICS_LISTEN", "127.0.0.1:0"));

        HttpResponse<String> metrics = send("GET", "/metrics");
        assertEquals(200, metrics.statusCode(), metrics.body());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", metrics.headers().firstValue("Content-Type").orElse(""));
        assertTrue(metrics.body().contains("clf_build_info{"), metrics.body());

        for (String[] request : new String[][] {{"GET", "/v1/jobs"}, {"POST", "/v1/jobs/enqueue"}, {"GET", "/healthz"},
            {"GET", "/v1/status"}, {"POST", "/metrics"}, {"GET", "/metrics/"}, {"GET", "/"}}) {
            HttpResponse<String> other = send(request[0], request[1]);
            assertEquals(404, other.statusCode(), request[0] + " " + request[1] + ": " + other.body());
        }
        assertTrue(logged.toString().contains("INFO metrics.listening address=127.0.0.1 port="), logged.toString());
    }

    @Test
    void withoutTheVariableThereIsNoListener() throws Exception {
        start(Map.of());

        assertNull(daemon.metricsListener());
    }
}
