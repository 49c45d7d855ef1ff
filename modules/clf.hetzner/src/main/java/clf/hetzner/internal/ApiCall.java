package clf.hetzner.internal;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * One API request before it is sent.
 *
 * @param path    below the base URL, e.g. {@code /servers/42}
 * @param query   parameters in order; null or empty values are dropped (as in the reference)
 * @param body    a JSON-able value, or {@code null} for no body
 * @param secrets strings that must never appear in an error text (e.g. the user_data)
 * @param repeatUntil after a try that may have been carried out (no answer, or a 5xx), the call is
 *                    sent again only if its answer is due before this instant; {@code null}: always
 */
public record ApiCall(String method, String path, Map<String, String> query, Object body, List<String> secrets,
                      Instant repeatUntil) {
    public ApiCall {
        Map<String, String> kept = new LinkedHashMap<>();
        if (query != null) {
            query.forEach((key, value) -> {
                if (value != null && !value.isEmpty()) {
                    kept.put(key, value);
                }
            });
        }
        query = java.util.Collections.unmodifiableMap(kept);
        secrets = secrets == null ? List.of() : List.copyOf(secrets);
    }

    public static ApiCall get(String path, Map<String, String> query) {
        return new ApiCall("GET", path, query, null, List.of(), null);
    }

    public static ApiCall post(String path, Object body, List<String> secrets) {
        return new ApiCall("POST", path, Map.of(), body, secrets, null);
    }

    public static ApiCall delete(String path) {
        return new ApiCall("DELETE", path, Map.of(), null, List.of(), null);
    }

    /** The same call, repeated after a possibly carried-out try only while its answer is due before {@code until}. */
    public ApiCall repeatedOnlyUntil(Instant until) {
        return new ApiCall(method, path, query, body, secrets, until);
    }

    /** The same call with more query parameters (pagination). */
    public ApiCall withQuery(Map<String, String> more) {
        Map<String, String> merged = new LinkedHashMap<>(query);
        merged.putAll(more);
        return new ApiCall(method, path, merged, body, secrets, repeatUntil);
    }

    /** Path and query as a person reads them (not encoded), for error texts. */
    public String display() {
        if (query.isEmpty()) {
            return path;
        }
        StringJoiner joined = new StringJoiner("&", path + "?", "");
        query.forEach((key, value) -> joined.add(key + "=" + value));
        return joined.toString();
    }

    public URI uri(URI baseUrl) {
        StringBuilder text = new StringBuilder(baseUrl.toString()).append(path);
        char separator = '?';
        for (Map.Entry<String, String> entry : query.entrySet()) {
            text.append(separator).append(encode(entry.getKey())).append('=').append(encode(entry.getValue()));
            separator = '&';
        }
        return URI.create(text.toString());
    }

    private static String encode(String value) {
        // URLEncoder writes spaces as '+', which query strings accept; '%20' would do as well.
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
