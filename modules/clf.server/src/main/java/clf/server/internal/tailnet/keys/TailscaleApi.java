package clf.server.internal.tailnet.keys;

import clf.secrets.Secret;
import clf.secrets.SecretSource;
import clf.server.internal.config.TailnetJoin;
import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The two calls of Tailscale's API that mint a VM's join key.
 *
 * <ol>
 * <li>An access token by the OAuth 2.0 client-credentials grant:
 * {@code POST /api/v2/oauth/token}, form-encoded {@code client_id}, {@code client_secret};
 * the answer is {@code {"access_token", "token_type": "Bearer", "expires_in", "scope"}}.
 * Tokens live one hour and are to be renewed "shortly before" they expire
 * (https://tailscale.com/kb/1215/oauth-clients), so one is kept until
 * {@link #RENEW_BEFORE} before its {@code expires_in}.</li>
 * <li>The key: {@code POST /api/v2/tailnet/-/keys} ({@code -}: the client's own tailnet) with
 * {@code Authorization: Bearer} and {@code {"capabilities": {"devices": {"create": {"reusable",
 * "ephemeral", "preauthorized", "tags"}}}, "expirySeconds", "description"}}; the answer carries
 * {@code id}, {@code key} (the secret), {@code created}, {@code expires}
 * (https://tailscale.com/api, "Create auth key"). A key made with an OAuth client must carry
 * tags the client owns (https://tailscale.com/kb/1085/auth-keys).</li>
 * </ol>
 *
 * The client id and secret are read from {@link SecretSource} at each token request, so a rotated
 * client needs no restart. Nothing secret appears in an exception: Tailscale's own error text is
 * cut short and stripped of anything shaped like a key.
 */
final class TailscaleApi {
    static final Duration RENEW_BEFORE = Duration.ofMinutes(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /** Tailscale's limit on a key's description (the admin console's and the API's: 50 characters). */
    private static final int MAX_DESCRIPTION = 50;
    private static final Pattern KEY_SHAPED = Pattern.compile("tskey-[A-Za-z0-9-]*");

    private final URI api;
    private final SecretSource secrets;
    private final Clock clock;
    private final HttpClient http;
    private Secret accessToken;
    private Instant renewAt = Instant.MIN;

    TailscaleApi(URI api, SecretSource secrets, Clock clock, HttpClient http) {
        this.api = api;
        this.secrets = secrets;
        this.clock = clock;
        this.http = http;
    }

    /** A single-use, ephemeral, pre-authorized key with {@code tags}, valid for {@code validFor} (whole seconds, rounded up). */
    Secret createJoinKey(List<String> tags, Duration validFor, String description) throws TailscaleApiException {
        Map<String, Object> create = new LinkedHashMap<>();
        create.put("reusable", false);
        create.put("ephemeral", true);
        create.put("preauthorized", true);
        create.put("tags", List.copyOf(tags));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("capabilities", Map.of("devices", Map.of("create", create)));
        body.put("expirySeconds", (validFor.toMillis() + 999) / 1000);
        body.put("description", description(description));
        String json = json(body);
        boolean fresh = accessTokenIsFresh();
        HttpResponse<String> answer = createKey(json);
        if (answer.statusCode() == 401 && !fresh) {
            // A kept token Tailscale no longer takes (the client was rotated or revoked): one new try.
            forgetAccessToken();
            answer = createKey(json);
        }
        if (answer.statusCode() != 200) {
            throw refusal("create auth key", answer, switch (answer.statusCode()) {
                case 401 -> "the OAuth client's access token was refused";
                case 403 -> "the OAuth client lacks the auth_keys scope it needs to create keys";
                case 400 -> "the OAuth client must own the tags " + tags + " (CLF_TAILSCALE_TAGS)";
                default -> "";
            });
        }
        Object key = object(answer, "create auth key").get("key");
        if (!(key instanceof String text) || !text.startsWith("tskey-")) {
            throw new TailscaleApiException("Tailscale create auth key: the answer has no key (expected a \"key\""
                    + " starting with tskey-)", 200, true);
        }
        return Secret.of(text);
    }

    private HttpResponse<String> createKey(String json) throws TailscaleApiException {
        return send(HttpRequest.newBuilder(api.resolve("/api/v2/tailnet/-/keys"))
                .header("Authorization", "Bearer " + accessToken().reveal())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)), "create auth key");
    }

    /** Whether the next {@link #accessToken()} asks for a new one (none kept, or due for renewal). */
    private synchronized boolean accessTokenIsFresh() {
        return accessToken == null || !clock.instant().isBefore(renewAt);
    }

    private synchronized void forgetAccessToken() {
        accessToken = null;
    }

    /** The kept access token, or a new one when none is kept or it is due for renewal. */
    private synchronized Secret accessToken() throws TailscaleApiException {
        Instant now = clock.instant();
        if (accessToken != null && now.isBefore(renewAt)) {
            return accessToken;
        }
        Secret id = secrets.get(TailnetJoin.OAUTH_CLIENT_ID).orElse(null);
        Secret secret = secrets.get(TailnetJoin.OAUTH_CLIENT_SECRET).orElse(null);
        if (id == null || secret == null) {
            throw new TailscaleApiException("Tailscale OAuth client: " + TailnetJoin.OAUTH_CLIENT_ID + " and "
                    + TailnetJoin.OAUTH_CLIENT_SECRET + " are no longer both set", 0, false);
        }
        String form = "client_id=" + URLEncoder.encode(id.reveal(), StandardCharsets.UTF_8)
                + "&client_secret=" + URLEncoder.encode(secret.reveal(), StandardCharsets.UTF_8)
                + "&grant_type=client_credentials";
        HttpResponse<String> answer = send(HttpRequest.newBuilder(api.resolve("/api/v2/oauth/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)), "OAuth token");
        if (answer.statusCode() != 200) {
            throw refusal("OAuth token", answer, answer.statusCode() == 401 || answer.statusCode() == 400
                    ? "check " + TailnetJoin.OAUTH_CLIENT_ID + " and " + TailnetJoin.OAUTH_CLIENT_SECRET : "");
        }
        Map<String, Object> token = object(answer, "OAuth token");
        if (!(token.get("access_token") instanceof String value) || value.isEmpty()
                || !(token.get("expires_in") instanceof Number lifetime) || lifetime.longValue() <= 0) {
            throw new TailscaleApiException("Tailscale OAuth token: the answer lacks access_token or a positive"
                    + " expires_in", 200, true);
        }
        accessToken = Secret.of(value);
        renewAt = now.plusSeconds(lifetime.longValue()).minus(RENEW_BEFORE);
        return accessToken;
    }

    private HttpResponse<String> send(HttpRequest.Builder request, String call) throws TailscaleApiException {
        try {
            return http.send(request.timeout(REQUEST_TIMEOUT).header("Accept", "application/json").build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new TailscaleApiException("Tailscale " + call + ": no answer from " + api + " ("
                    + e.getClass().getSimpleName() + ")", 0, true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TailscaleApiException("Tailscale " + call + ": interrupted", 0, true);
        }
    }

    /** 429 and 5xx may pass; everything else is the operator's to fix. */
    private static TailscaleApiException refusal(String call, HttpResponse<String> answer, String hint) {
        int status = answer.statusCode();
        boolean retryable = status == 429 || status >= 500;
        StringBuilder message = new StringBuilder("Tailscale ").append(call).append(": HTTP ").append(status);
        String said = said(answer.body());
        if (!said.isEmpty()) {
            message.append(" \"").append(said).append('"');
        }
        if (status == 429) {
            message.append("; rate limited").append(answer.headers().firstValue("Retry-After")
                    .map(seconds -> ", retry after " + seconds + " s").orElse(""));
        }
        if (!hint.isEmpty()) {
            message.append("; ").append(hint);
        }
        message.append(retryable ? " (will retry)" : " (not retried)");
        return new TailscaleApiException(message.toString(), status, retryable);
    }

    /** Tailscale's {@code message}, at most 200 characters, with anything shaped like a key removed. */
    private static String said(String body) {
        try {
            Object parsed = JSON.std.anyFrom(body);
            if (parsed instanceof Map<?, ?> map && map.get("message") instanceof String message) {
                String clean = KEY_SHAPED.matcher(message).replaceAll("[redacted]").replaceAll("\\p{Cntrl}", " ");
                return clean.length() > 200 ? clean.substring(0, 200) + "…" : clean;
            }
        } catch (IOException | RuntimeException e) {
            // not JSON: nothing quoted
        }
        return "";
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(HttpResponse<String> answer, String call) throws TailscaleApiException {
        try {
            if (JSON.std.anyFrom(answer.body()) instanceof Map<?, ?> map) {
                return (Map<String, Object>) map;
            }
        } catch (IOException e) {
            // reported below
        }
        throw new TailscaleApiException("Tailscale " + call + ": the answer is not a JSON object", answer.statusCode(),
                true);
    }

    private static String description(String wanted) {
        String clean = wanted.replaceAll("[^A-Za-z0-9 -]", "-");
        return clean.length() > MAX_DESCRIPTION ? clean.substring(0, MAX_DESCRIPTION) : clean;
    }

    private static String json(Object value) {
        try {
            return JSON.std.asString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
