package clf.hetzner.sim;

/**
 * One request the simulator answered, as observers see it.
 *
 * @param route        the operation, e.g. {@code POST /servers} or {@code GET /servers/{id}};
 *                     {@code null} for a path the simulator does not serve
 * @param path         below {@code /v1}, e.g. {@code /servers/42}
 * @param rawQuery     as sent (still URL-encoded), or {@code ""}
 * @param requestBody  as sent, or {@code ""}
 * @param responseBody as answered, or {@code ""} when the answer has no body
 */
public record SimExchange(String method, String route, String path, String rawQuery, String requestBody,
                          int status, String responseBody) {
}
