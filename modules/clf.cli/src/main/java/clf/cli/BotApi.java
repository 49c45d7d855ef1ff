package clf.cli;

import clf.protocol.ErrorCode;
import clf.protocol.JobKind;
import clf.protocol.Protocol;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.Map;

/**
 * The calls of bot API v1, each returning the daemon's parsed answer. A non-2xx answer, a body
 * that is not JSON or a {@code protocolVersion} other than {@link Protocol#VERSION} is a
 * {@link Failure} naming the operation: {@code show failed: HTTP 404: job not found}.
 */
final class BotApi {
    private static final int SHOWN_BODY_CHARS = 200;

    private final SocketClient client;

    BotApi(SocketClient client) {
        this.client = client;
    }

    Map<String, Object> enqueue(Map<String, Object> request) {
        return answer("enqueue", client.post(Protocol.ENQUEUE, Json.compact(request)));
    }

    /** {@code query} is {@code ""} or {@code ?a=b&…}, values already encoded. */
    Map<String, Object> list(String query) {
        return answer("list", client.get(Protocol.JOBS + query));
    }

    /** One job; {@code internal=1} because this CLI reads the orchestrator's own kinds too. */
    Map<String, Object> show(String jobId) {
        return answer("show", client.get(Protocol.jobPath(jobId) + "?" + JobKind.INTERNAL_QUERY_PARAMETER + "=1"));
    }

    Map<String, Object> cancel(String jobId) {
        return answer("cancel", client.post(Protocol.cancelPath(jobId), null));
    }

    Map<String, Object> events(String jobId) {
        return answer("events", supported("jobs events", "/v1/jobs/{id}/events", client.get(Protocol.eventsPath(jobId))));
    }

    /** Health and key figures; the answer is read by {@code StatusReport.fromJson}. */
    Map<String, Object> status() {
        return answer("status", supported("status", Protocol.STATUS, client.get(Protocol.STATUS)));
    }

    /**
     * The response, unless it is the 404 an orchestrator without {@code route} gives: v1's bare
     * {@code {"error":{"message":"not found"}}} (this orchestrator's say which path, with a code).
     */
    static SocketClient.Response supported(String command, String route, SocketClient.Response response) {
        if (response.status() == 404) {
            try {
                if (Json.parse(response.body()) instanceof Map<?, ?> body && body.get("error") instanceof Map<?, ?> error
                        && "not found".equals(error.get("message")) && !error.containsKey("code")) {
                    throw Failure.unsupported("unsupported", "this orchestrator does not support `" + command
                            + "` (it answered 404 for " + route + "; it may be an older version)");
                }
            } catch (JsonProcessingException e) {
                // not v1's answer either; reported as any other 404 below
            }
        }
        return response;
    }

    static Map<String, Object> answer(String op, SocketClient.Response response) {
        Object body;
        try {
            body = response.body().isBlank() ? Map.of() : Json.parse(response.body());
        } catch (JsonProcessingException e) {
            if (response.ok()) {
                throw Failure.refused("bad_response", op + " failed: invalid JSON response ("
                        + Json.describe(e) + ")");
            }
            throw Failure.http(response.status(), codeOf(response.status()),
                    op + " failed: HTTP " + response.status() + ": " + snippet(response.body()));
        }
        if (!response.ok()) {
            throw httpFailure(op, response, body);
        }
        if (!(body instanceof Map<?, ?> map)) {
            throw Failure.refused("bad_response", op + " failed: the response is not a JSON object");
        }
        Object version = map.get("protocolVersion");
        if (!Integer.valueOf(Protocol.VERSION).equals(version)) {
            throw Failure.refused("bad_response", op + " failed: response has protocolVersion "
                    + version + "; this clf speaks " + Protocol.VERSION);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> answer = (Map<String, Object>) map;
        return answer;
    }

    private static Failure httpFailure(String op, SocketClient.Response response, Object body) {
        String message = null;
        String code = null;
        if (body instanceof Map<?, ?> map && map.get("error") instanceof Map<?, ?> error) {
            message = error.get("message") instanceof String text ? text : null;
            code = error.get("code") instanceof String text ? text : null;
        }
        if (message == null) {
            message = snippet(response.body());
        }
        if (code == null) {
            code = codeOf(response.status());
        }
        return Failure.http(response.status(), code, op + " failed: HTTP " + response.status() + ": " + message);
    }

    /** The protocol's error code for an HTTP status, or null when it has none. */
    private static String codeOf(int status) {
        for (ErrorCode code : ErrorCode.values()) {
            if (code.httpStatus() == status) {
                return code.wireName();
            }
        }
        return null;
    }

    private static String snippet(String body) {
        String text = body.strip();
        if (text.isEmpty()) {
            return "(empty body)";
        }
        return text.length() > SHOWN_BODY_CHARS ? text.substring(0, SHOWN_BODY_CHARS) + "…" : text;
    }
}
