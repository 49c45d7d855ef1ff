package clf.server.internal.web;

import clf.protocol.ErrorCode;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import java.nio.ByteBuffer;
import java.util.regex.Pattern;

/**
 * Refuses, before the API sees it, a request whose Content-Length is not one plain decimal that
 * fits a long, and closes the connection. Undertow 2.3 frames the body with a parse that wraps
 * past 2^64 (a Content-Length of 18446744073709551616 reads as 0, ...621 as 5), while {@link
 * HttpServerExchange#getRequestContentLength} throws on the same value: the bot API answered 500,
 * and the bytes after the head were read as the next request. Closing ends both.
 */
public final class ContentLengthCheck implements HttpHandler {
    private static final Pattern DECIMAL = Pattern.compile("\\d{1,18}");

    private final HttpHandler next;

    /** {@code next} gets every request whose Content-Length can be trusted (or that has none). */
    public ContentLengthCheck(HttpHandler next) {
        this.next = next;
    }

    /** Why the request's Content-Length cannot be trusted, or null if it can (or there is none). */
    public static String problem(HttpServerExchange exchange) {
        HeaderValues values = exchange.getRequestHeaders().get(Headers.CONTENT_LENGTH);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            return "Content-Length: expected one, got " + values.size();
        }
        String value = values.getFirst();
        if (!DECIMAL.matcher(value).matches()) {
            String shown = value.length() > 40 ? value.substring(0, 40) + "…" : value;
            return "Content-Length: expected a whole number of bytes (up to 18 digits), got \"" + shown + "\"";
        }
        return null;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        String problem = problem(exchange);
        if (problem == null) {
            next.handleRequest(exchange);
            return;
        }
        byte[] bytes = V1Errors.body(ErrorCode.INVALID_INPUT, problem);
        exchange.setPersistent(false); // what follows the head cannot be framed: never read it as a request
        exchange.setStatusCode(ErrorCode.INVALID_INPUT.httpStatus());
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.setResponseContentLength(bytes.length);
        exchange.getResponseSender().send(ByteBuffer.wrap(bytes));
    }
}
