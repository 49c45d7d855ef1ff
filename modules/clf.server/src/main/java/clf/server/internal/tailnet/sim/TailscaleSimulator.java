package clf.server.internal.tailnet.sim;

import com.fasterxml.jackson.jr.ob.JSON;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The two calls of Tailscale's API the daemon makes to mint a VM's join key, served over real
 * HTTP on loopback for the tests and {@code --dev} (issue 13 §5). It knows one OAuth client (its
 * id, secret and the tags it owns) and is strict where Tailscale is, so a request the real API
 * would refuse is refused here too (400 with the reason, kept in {@link #refusals()}):
 *
 * <ul>
 * <li>{@code POST /api/v2/oauth/token}: form-encoded, {@code client_id} and {@code client_secret}
 * of the client (else 401), {@code grant_type} absent or {@code client_credentials}, nothing
 * else but {@code scope}; answers {@code access_token}, {@code token_type}, {@code expires_in}
 * (one hour by default, as Tailscale's) and {@code scope}.</li>
 * <li>{@code POST /api/v2/tailnet/-/keys}: {@code Authorization: Bearer} with a token it issued
 * and that has not expired (else 401), from a client with the {@code auth_keys} scope (else
 * 403); a JSON body of exactly {@code capabilities.devices.create} ({@code reusable},
 * {@code ephemeral}, {@code preauthorized} booleans, {@code tags} a non-empty list, which a key
 * made by an OAuth client must have), {@code expirySeconds} (1 s to 90 days) and an optional
 * {@code description} of at most 50 characters; a tag the client does not own is 400 "requested
 * tags [...] are invalid or not permitted" (what the real API was seen to answer; Tailscale's
 * documentation does not list its error bodies). Answers {@code id}, {@code key},
 * {@code created}, {@code expires}, {@code capabilities}, {@code description}.</li>
 * </ul>
 *
 * Any other path is 404, another method 405. {@link #failNext} makes the next calls answer an
 * error, as Tailscale might (429 with {@code Retry-After}, 5xx).
 */
public final class TailscaleSimulator implements AutoCloseable {
    private static final long MAX_EXPIRY_SECONDS = Duration.ofDays(90).toSeconds();
    private static final String TOKEN_PATH = "/api/v2/oauth/token";
    private static final String KEYS_PATH = "/api/v2/tailnet/-/keys";

    private final String clientId;
    private final String clientSecret;
    private final Set<String> ownedTags;
    private final Clock clock;
    private final HttpServer server;
    private final ExecutorService executor;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Instant> accessTokens = new ConcurrentHashMap<>();
    private final List<MintedKey> keys = new CopyOnWriteArrayList<>();
    private final List<String> refusals = new CopyOnWriteArrayList<>();
    private final List<Integer> faults = new ArrayList<>();
    private volatile Duration tokenLifetime = Duration.ofHours(1);
    private volatile Set<String> scopes = Set.of("auth_keys");
    private volatile int tokenRequests;

    private TailscaleSimulator(String clientId, String clientSecret, Set<String> ownedTags, Clock clock)
            throws IOException {
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.ownedTags = Set.copyOf(ownedTags);
        this.clock = clock;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        this.executor = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "tailscale-sim");
            thread.setDaemon(true);
            return thread;
        });
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** A simulator that knows one OAuth client, owning {@code ownedTags}. */
    public static TailscaleSimulator start(String clientId, String clientSecret, Set<String> ownedTags, Clock clock)
            throws IOException {
        return new TailscaleSimulator(clientId, clientSecret, ownedTags, clock);
    }

    public URI baseUrl() {
        return URI.create("http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort());
    }

    /** The keys handed out, oldest first. */
    public List<MintedKey> keys() {
        return List.copyOf(keys);
    }

    /** Why each refused request was refused, oldest first. */
    public List<String> refusals() {
        return List.copyOf(refusals);
    }

    /** How many access tokens were asked for (successfully or not). */
    public int tokenRequests() {
        return tokenRequests;
    }

    public void setTokenLifetime(Duration lifetime) {
        this.tokenLifetime = lifetime;
    }

    /** The scopes the OAuth client was given (default: auth_keys, what minting needs). */
    public void setScopes(Set<String> scopes) {
        this.scopes = Set.copyOf(scopes);
    }

    /** The next {@code times} calls, of either endpoint, answer {@code status}. */
    public void failNext(int status, int times) {
        synchronized (faults) {
            for (int i = 0; i < times; i++) {
                faults.add(status);
            }
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            if (!path.equals(TOKEN_PATH) && !path.equals(KEYS_PATH)) {
                answer(exchange, 404, Map.of("message", "not found"));
                return;
            }
            if (!exchange.getRequestMethod().equals("POST")) {
                exchange.getResponseHeaders().add("Allow", "POST");
                answer(exchange, 405, Map.of("message", "method not allowed"));
                return;
            }
            byte[] body = readBody(exchange.getRequestBody());
            if (path.equals(TOKEN_PATH)) {
                tokenRequests++;
            }
            Integer fault;
            synchronized (faults) {
                fault = faults.isEmpty() ? null : faults.remove(0);
            }
            if (fault != null) {
                if (fault == 429) {
                    exchange.getResponseHeaders().add("Retry-After", "7");
                }
                answer(exchange, fault, Map.of("message", "simulated failure " + fault));
                return;
            }
            String text = new String(body, StandardCharsets.UTF_8);
            try {
                if (path.equals(TOKEN_PATH)) {
                    token(exchange, text);
                } else {
                    createKey(exchange, text);
                }
            } catch (Refused refused) {
                refusals.add(refused.status + " " + refused.getMessage());
                answer(exchange, refused.status, Map.of("message", refused.getMessage()));
            }
        }
    }

    private void token(HttpExchange exchange, String body) throws IOException, Refused {
        requireContentType(exchange, "application/x-www-form-urlencoded");
        Map<String, String> form = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new Refused(400, "form: name=value pairs expected");
            }
            String name = URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8);
            if (!Set.of("client_id", "client_secret", "grant_type", "scope").contains(name)) {
                throw new Refused(400, "form: unknown parameter " + name);
            }
            if (form.put(name, URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8)) != null) {
                throw new Refused(400, "form: " + name + " given twice");
            }
        }
        if (form.containsKey("grant_type") && !form.get("grant_type").equals("client_credentials")) {
            throw new Refused(400, "grant_type: client_credentials expected");
        }
        if (!clientId.equals(form.get("client_id")) || !clientSecret.equals(form.get("client_secret"))) {
            throw new Refused(401, "invalid client credentials");
        }
        String token = "tskey-api-sim-" + HexFormat.of().formatHex(bytes(16));
        accessTokens.put(token, clock.instant().plus(tokenLifetime));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("access_token", token);
        answer.put("token_type", "Bearer");
        answer.put("expires_in", tokenLifetime.toSeconds());
        answer.put("scope", String.join(" ", new java.util.TreeSet<>(scopes)));
        answer(exchange, 200, answer);
    }

    private void createKey(HttpExchange exchange, String body) throws IOException, Refused {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        Instant expires = authorization == null || !authorization.startsWith("Bearer ") ? null
                : accessTokens.get(authorization.substring("Bearer ".length()));
        if (expires == null || !clock.instant().isBefore(expires)) {
            throw new Refused(401, expires == null ? "API token invalid" : "API token expired");
        }
        if (!scopes.contains("auth_keys")) {
            throw new Refused(403, "calling actor does not have enough permissions to perform this function");
        }
        requireContentType(exchange, "application/json");
        Map<String, Object> request = object(parse(body), "body");
        onlyKeys(request, "body", Set.of("capabilities", "expirySeconds", "description"));
        Map<String, Object> capabilities = object(request.get("capabilities"), "capabilities");
        onlyKeys(capabilities, "capabilities", Set.of("devices"));
        Map<String, Object> devices = object(capabilities.get("devices"), "capabilities.devices");
        onlyKeys(devices, "capabilities.devices", Set.of("create"));
        Map<String, Object> create = object(devices.get("create"), "capabilities.devices.create");
        onlyKeys(create, "capabilities.devices.create", Set.of("reusable", "ephemeral", "preauthorized", "tags"));
        boolean reusable = bool(create, "reusable");
        boolean ephemeral = bool(create, "ephemeral");
        boolean preauthorized = bool(create, "preauthorized");
        if (!(create.get("tags") instanceof List<?> rawTags) || rawTags.isEmpty()) {
            throw new Refused(400, "capabilities.devices.create.tags: a non-empty list expected (keys made by an"
                    + " OAuth client must be tagged)");
        }
        List<String> tags = new ArrayList<>();
        for (Object tag : rawTags) {
            if (!(tag instanceof String text) || !text.startsWith("tag:")) {
                throw new Refused(400, "capabilities.devices.create.tags: tag:NAME strings expected, got " + tag);
            }
            tags.add(text);
        }
        List<String> notOwned = tags.stream().filter(tag -> !ownedTags.contains(tag)).toList();
        if (!notOwned.isEmpty()) {
            throw new Refused(400, "requested tags " + notOwned + " are invalid or not permitted");
        }
        if (!(request.get("expirySeconds") instanceof Number expiry) || expiry.longValue() != expiry.doubleValue()
                || expiry.longValue() < 1 || expiry.longValue() > MAX_EXPIRY_SECONDS) {
            throw new Refused(400, "expirySeconds: whole seconds from 1 to " + MAX_EXPIRY_SECONDS + " expected, got "
                    + request.get("expirySeconds"));
        }
        Object description = request.getOrDefault("description", "");
        if (!(description instanceof String text) || text.length() > 50) {
            throw new Refused(400, "description: a string of at most 50 characters expected");
        }
        String id = "k" + HexFormat.of().formatHex(bytes(6)) + "CNTRL";
        String key = "tskey-auth-" + id + "-" + HexFormat.of().formatHex(bytes(16));
        Instant created = clock.instant();
        keys.add(new MintedKey(id, key, reusable, ephemeral, preauthorized, List.copyOf(tags), expiry.longValue(),
                text, created));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", id);
        answer.put("key", key);
        answer.put("created", created.toString());
        answer.put("expires", created.plusSeconds(expiry.longValue()).toString());
        answer.put("capabilities", capabilities);
        answer.put("description", text);
        answer(exchange, 200, answer);
    }

    private static void requireContentType(HttpExchange exchange, String expected) throws Refused {
        String type = exchange.getRequestHeaders().getFirst("Content-Type");
        if (type == null || !type.split(";")[0].strip().equalsIgnoreCase(expected)) {
            throw new Refused(400, "Content-Type: " + expected + " expected, got " + type);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object value, String field) throws Refused {
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw new Refused(400, field + ": a JSON object expected");
    }

    private static void onlyKeys(Map<String, Object> object, String field, Set<String> allowed) throws Refused {
        for (String key : object.keySet()) {
            if (!allowed.contains(key)) {
                throw new Refused(400, field + ": unknown field " + key);
            }
        }
    }

    private static boolean bool(Map<String, Object> create, String name) throws Refused {
        if (create.get(name) instanceof Boolean value) {
            return value;
        }
        throw new Refused(400, "capabilities.devices.create." + name + ": a boolean expected");
    }

    private static Object parse(String body) throws Refused {
        try {
            return JSON.std.anyFrom(body);
        } catch (IOException e) {
            throw new Refused(400, "body: JSON expected");
        }
    }

    private byte[] bytes(int count) {
        byte[] bytes = new byte[count];
        random.nextBytes(bytes);
        return bytes;
    }

    private static byte[] readBody(InputStream in) throws IOException {
        byte[] body = in.readNBytes(64 * 1024 + 1);
        if (body.length > 64 * 1024) {
            throw new IOException("request body over 64 KiB");
        }
        return body;
    }

    private static void answer(HttpExchange exchange, int status, Map<String, ?> body) throws IOException {
        byte[] bytes = JSON.std.asBytes(body);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    /** A request the real API would refuse, with its status and reason. */
    private static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        private final int status;

        Refused(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
