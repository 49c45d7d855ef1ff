package clf.cattle.internal;

import clf.protocol.CattleEnvAnswer;
import clf.protocol.Protocol;
import clf.protocol.TaskReport;
import com.fasterxml.jackson.jr.ob.JSON;
import io.undertow.Undertow;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.BlockingHandler;
import io.undertow.util.Headers;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * STAND-IN for the daemon's report route, which is not on this branch yet: a tiny real HTTP
 * server that answers {@code GET /v1/cattle/env} with an answer carrying a server and a report
 * credential, and {@code POST /v1/cattle/task} with the statuses it is told, in order (then 200),
 * recording each report it is sent. Once the daemon serves reports, tests move to the real route.
 */
final class ReportStandIn implements AutoCloseable {
    static final String REPORT_TOKEN = "report-credential-secret";
    final List<Map<String, Object>> reports = new CopyOnWriteArrayList<>();
    final List<Integer> answered = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Integer> statuses = new ConcurrentLinkedQueue<>();
    private final Undertow server;
    private final CattleEnvAnswer answer;

    ReportStandIn(Instant serverExpiresAt, List<Integer> reportStatuses) throws IOException {
        statuses.addAll(reportStatuses);
        answer = new CattleEnvAnswer(Map.of("OPENAI_API_KEY", "sk-x"),
                new CattleEnvAnswer.Server("cattle-rex-1", serverExpiresAt),
                new CattleEnvAnswer.Report(REPORT_TOKEN, Protocol.CATTLE_TASK, serverExpiresAt.plusSeconds(60)));
        server = Undertow.builder().setIoThreads(1).setWorkerThreads(2).addHttpListener(0, "127.0.0.1")
                .setHandler(new BlockingHandler(exchange -> {
                    if (exchange.getRequestPath().equals(Protocol.CATTLE_ENV)) {
                        reply(exchange, 200, answer.toJson());
                    } else {
                        report(exchange);
                    }
                })).build();
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    }

    private void report(HttpServerExchange exchange) throws IOException {
        if (!("Bearer " + REPORT_TOKEN).equals(exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION))) {
            reply(exchange, 401, Map.of("ok", false));
            return;
        }
        Map<String, Object> body = JSON.std.mapFrom(new String(exchange.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        TaskReport.fromJson(body); // what the daemon will check
        reports.add(body);
        Integer status = statuses.poll();
        int code = status == null ? 200 : status;
        answered.add(code);
        reply(exchange, code, Map.of("ok", code == 200));
    }

    private static void reply(HttpServerExchange exchange, int status, Map<String, ?> body) throws IOException {
        byte[] bytes = JSON.std.asBytes(body);
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getOutputStream().write(bytes);
    }

    @Override
    public void close() {
        server.stop();
    }
}
