package clf.hetzner.internal.sim;

import clf.hetzner.internal.Json;
import clf.hetzner.internal.JsonShapeException;
import clf.hetzner.sim.SimExchange;
import clf.hetzner.sim.SimListener;
import clf.hetzner.sim.SimServer;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Answers one HTTP request: rate limit and injected faults first, then authentication, then the
 * endpoint. Every answer carries the {@code RateLimit-*} headers, is logged and shown to the
 * observers, and then waits out any injected delay before it is written.
 */
public final class SimRouter implements HttpHandler {
    private static final String PREFIX = "/v1";

    private final Faults faults;
    private final RateBucket bucket;
    private final Clock clock;
    private final Supplier<String> requiredToken;
    private final SimLog log;
    private final List<Consumer<SimExchange>> observers;
    private final ServersEndpoint servers;
    private final FirewallsEndpoint firewalls;

    public SimRouter(SimState state, Faults faults, RateBucket bucket, Clock clock, Supplier<String> requiredToken,
                     SimLog log, List<Consumer<SimExchange>> observers, List<SimListener> listeners) {
        this.faults = faults;
        this.bucket = bucket;
        this.clock = clock;
        this.requiredToken = requiredToken;
        this.log = log;
        this.observers = observers;
        this.servers = new ServersEndpoint(state, faults, listeners);
        this.firewalls = new FirewallsEndpoint(state, faults);
    }

    /**
     * Creates a server without a request, through the checks and listener calls of
     * {@code POST /servers}; type cx22, image ubuntu-24.04, location fsn1.
     */
    public SimServer seed(String name, Map<String, String> labels) {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("name", name);
        body.put("server_type", "cx22");
        body.put("image", "ubuntu-24.04");
        body.put("labels", labels == null ? Map.of() : labels);
        return servers.seed(body);
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String fullPath = exchange.getRequestURI().getRawPath();
            String rawQuery = exchange.getRequestURI().getRawQuery();
            String requestBody = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String path = fullPath.startsWith(PREFIX + "/") ? fullPath.substring(PREFIX.length()) : fullPath;
            String route = route(method, path);

            Faults.Decision decision = faults.next(clock.instant());
            RateBucket.Reading limits = decision.rateLimited()
                    ? bucket.exhaustedUntil(decision.rateLimitResetAt())
                    : bucket.take(clock.instant());
            SimResponse response;
            if (!limits.allowed()) {
                response = SimResponse.error(new SimError(429, "rate_limit_exceeded",
                        "limit of " + limits.limit() + " requests per hour reached", null));
            } else if (decision.failure() != null) {
                response = SimResponse.error(decision.failure());
            } else {
                response = answer(exchange, method, path, route, rawQuery, requestBody);
            }

            String responseBody = response.body() == null ? "" : Json.write(response.body());
            SimExchange seen = new SimExchange(method, route, path, rawQuery == null ? "" : rawQuery, requestBody,
                    response.status(), responseBody);
            log.add(seen);
            notifyObservers(seen);
            response.events().forEach(Runnable::run);
            if (!pause(decision.delay())) {
                return; // the simulator is stopping
            }
            send(exchange, response.status(), responseBody, limits);
        }
    }

    private SimResponse answer(HttpExchange exchange, String method, String path, String route, String rawQuery,
                               String body) {
        try {
            authenticate(exchange.getRequestHeaders().getFirst("Authorization"));
            if (route == null) {
                throw SimError.notFound("no such endpoint: " + method + " " + path);
            }
            String[] parts = path.substring(1).split("/");
            SimQuery query = new SimQuery(rawQuery);
            return switch (route) {
                case "GET /servers" -> servers.list(query);
                case "POST /servers" -> servers.create(object(body));
                case "GET /servers/{id}" -> servers.get(id(parts[1]));
                case "DELETE /servers/{id}" -> servers.delete(id(parts[1]));
                case "GET /firewalls" -> firewalls.list(query);
                case "POST /firewalls" -> firewalls.create(object(body));
                case "GET /firewalls/{id}" -> firewalls.get(id(parts[1]));
                case "POST /firewalls/{id}/actions/set_rules" -> firewalls.setRules(id(parts[1]), object(body));
                default -> throw new IllegalStateException("unhandled route " + route);
            };
        } catch (SimError e) {
            return SimResponse.error(e);
        } catch (RuntimeException e) {
            return SimResponse.error(new SimError(500, "server_error", "simulator failure: " + e.getClass().getSimpleName(), null));
        }
    }

    /** The operation a request addresses, named like the OpenAPI file; {@code null} if not served. */
    static String route(String method, String path) {
        String[] parts = path.startsWith("/") ? path.substring(1).split("/", -1) : new String[0];
        if (parts.length >= 2 && parts[1].equals("actions")) {
            return null; // /servers/actions… and /firewalls/actions… are the API's, not simulated
        }
        String shape;
        if (parts.length == 1 && parts[0].equals("servers")) {
            shape = "/servers";
        } else if (parts.length == 2 && parts[0].equals("servers")) {
            shape = "/servers/{id}";
        } else if (parts.length == 1 && parts[0].equals("firewalls")) {
            shape = "/firewalls";
        } else if (parts.length == 2 && parts[0].equals("firewalls")) {
            shape = "/firewalls/{id}";
        } else if (parts.length == 4 && parts[0].equals("firewalls") && parts[2].equals("actions")
                && parts[3].equals("set_rules")) {
            shape = "/firewalls/{id}/actions/set_rules";
        } else {
            return null;
        }
        String candidate = method + " " + shape;
        return switch (candidate) {
            case "GET /servers", "POST /servers", "GET /servers/{id}", "DELETE /servers/{id}", "GET /firewalls",
                 "POST /firewalls", "GET /firewalls/{id}", "POST /firewalls/{id}/actions/set_rules" -> candidate;
            default -> null;
        };
    }

    private void authenticate(String header) {
        String expected = requiredToken.get();
        boolean ok = header != null && header.startsWith("Bearer ") && !header.substring(7).isBlank()
                && (expected == null || expected.equals(header.substring(7)));
        if (!ok) {
            throw new SimError(401, "unauthorized", "unable to authenticate", null);
        }
    }

    private static long id(String segment) {
        try {
            long id = Long.parseLong(segment);
            if (id >= 1 && id <= 9_007_199_254_740_991L) {
                return id;
            }
        } catch (NumberFormatException e) {
            // fall through to the error below
        }
        throw SimError.invalidInput("id", "must be a positive integer");
    }

    private static Map<String, Object> object(String body) {
        try {
            return Json.parseObject(body);
        } catch (JsonShapeException e) {
            throw SimError.jsonError("request body must be a JSON object");
        }
    }

    private void notifyObservers(SimExchange seen) {
        for (Consumer<SimExchange> observer : observers) {
            try {
                observer.accept(seen);
            } catch (RuntimeException e) {
                // An observer's bug must not turn into a wrong answer; observers report on their own.
            }
        }
    }

    private static boolean pause(Duration delay) {
        if (delay.isZero()) {
            return true;
        }
        try {
            Thread.sleep(delay.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void send(HttpExchange exchange, int status, String body, RateBucket.Reading limits) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("RateLimit-Limit", Integer.toString(limits.limit()));
        exchange.getResponseHeaders().set("RateLimit-Remaining", Integer.toString(limits.remaining()));
        exchange.getResponseHeaders().set("RateLimit-Reset", Long.toString(limits.resetEpochSecond()));
        if (bytes.length > 0) {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
        }
        try {
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        } catch (IOException e) {
            // The client gave up (e.g. its timeout passed while the answer was held): nothing to do.
        }
    }
}
