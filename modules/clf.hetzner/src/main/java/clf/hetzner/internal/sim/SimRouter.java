package clf.hetzner.internal.sim;

import clf.hetzner.internal.Json;
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
import java.util.Optional;
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
    private final ServerTypeCatalog serverTypes = new ServerTypeCatalog();
    private final ImageCatalog images;
    private final ServersEndpoint servers;
    private final SimRoutes routes;

    public SimRouter(SimState state, Faults faults, RateBucket bucket, Clock clock, Supplier<String> requiredToken,
                     SimLog log, List<Consumer<SimExchange>> observers, List<SimListener> listeners) {
        this.faults = faults;
        this.bucket = bucket;
        this.clock = clock;
        this.requiredToken = requiredToken;
        this.log = log;
        this.observers = observers;
        this.images = new ImageCatalog(state.now());
        SimActions actions = new SimActions(clock);
        this.servers = new ServersEndpoint(state, serverTypes, images, actions, faults, listeners);
        ServerPowerEndpoint power = new ServerPowerEndpoint(state, actions);
        ActionsEndpoint actionReads = new ActionsEndpoint(actions, state, faults);
        FirewallsEndpoint firewalls = new FirewallsEndpoint(state, actions, faults);
        ServerTypesEndpoint types = new ServerTypesEndpoint(serverTypes, faults);
        ImagesEndpoint imageReads = new ImagesEndpoint(images, faults);
        LocationsEndpoint locations = new LocationsEndpoint(faults);
        DatacentersEndpoint datacenters = new DatacentersEndpoint(serverTypes, state, faults);
        SshKeysEndpoint sshKeys = new SshKeysEndpoint(faults);
        this.routes = new SimRoutes()
                .add("GET", "/servers", call -> servers.list(call.query()))
                .add("POST", "/servers", call -> servers.create(call.json()))
                .add("GET", "/servers/{id}", call -> servers.get(call.id(0)))
                .add("PUT", "/servers/{id}", call -> servers.update(call.id(0), call.json()))
                .add("DELETE", "/servers/{id}", call -> servers.delete(call.id(0)))
                .add("POST", "/servers/{id}/actions/poweron", call -> power.powerOn(call.id(0)))
                .add("POST", "/servers/{id}/actions/poweroff", call -> power.powerOff(call.id(0)))
                .add("POST", "/servers/{id}/actions/shutdown", call -> power.shutdown(call.id(0)))
                .add("GET", "/servers/{id}/actions", call -> actionReads.listForServer(call.id(0), call.query()))
                .add("GET", "/servers/{id}/actions/{action_id}", call -> actionReads.getForServer(call.id(0), call.id(1)))
                .add("GET", "/actions", call -> actionReads.list(call.query()))
                .add("GET", "/actions/{id}", call -> actionReads.get(call.id(0)))
                .add("GET", "/firewalls", call -> firewalls.list(call.query()))
                .add("POST", "/firewalls", call -> firewalls.create(call.json()))
                .add("GET", "/firewalls/{id}", call -> firewalls.get(call.id(0)))
                .add("POST", "/firewalls/{id}/actions/set_rules", call -> firewalls.setRules(call.id(0), call.json()))
                .add("GET", "/server_types", call -> types.list(call.query()))
                .add("GET", "/server_types/{id}", call -> types.get(call.id(0)))
                .add("GET", "/images", call -> imageReads.list(call.query()))
                .add("GET", "/images/{id}", call -> imageReads.get(call.id(0)))
                .add("GET", "/locations", call -> locations.list(call.query()))
                .add("GET", "/locations/{id}", call -> locations.get(call.id(0)))
                .add("GET", "/datacenters", call -> datacenters.list(call.query()))
                .add("GET", "/datacenters/{id}", call -> datacenters.get(call.id(0)))
                .add("GET", "/ssh_keys", call -> sshKeys.list(call.query()));
    }

    /**
     * Creates a server without a request, through the checks and listener calls of
     * {@code POST /servers}; type cx23, image ubuntu-24.04, location fsn1.
     */
    public SimServer seed(String name, Map<String, String> labels) {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("name", name);
        body.put("server_type", "cx23");
        body.put("image", "ubuntu-24.04");
        body.put("labels", labels == null ? Map.of() : labels);
        return servers.seed(body);
    }

    /** A snapshot image as an upload leaves it (status available); returns its id. */
    public long addSnapshot(String description, Map<String, String> labels, java.time.Instant created) {
        return images.addSnapshot(description, labels, created);
    }

    /** Deprecates a server type in every location it is sold in; throws IllegalArgumentException if unknown. */
    public void deprecateServerType(String name, java.time.Instant announced, java.time.Instant unavailableAfter) {
        serverTypes.deprecate(name, new Deprecation(announced, unavailableAfter));
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String fullPath = exchange.getRequestURI().getRawPath();
            String rawQuery = exchange.getRequestURI().getRawQuery();
            String requestBody = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String path = fullPath.startsWith(PREFIX + "/") ? fullPath.substring(PREFIX.length()) : fullPath;
            Optional<SimRoutes.Match> match = routes.match(method, path);
            String route = match.map(found -> found.route().name()).orElse(null);

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
                response = answer(exchange, method, path, match, rawQuery, requestBody);
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

    private SimResponse answer(HttpExchange exchange, String method, String path, Optional<SimRoutes.Match> match,
                               String rawQuery, String body) {
        try {
            authenticate(exchange.getRequestHeaders().getFirst("Authorization"));
            if (match.isEmpty()) {
                throw SimError.notFound("no such endpoint: " + method + " " + path);
            }
            List<Long> ids = match.get().placeholders().stream().map(SimRouter::id).toList();
            return match.get().route().handler().handle(new SimRoutes.Call(ids, new SimQuery(rawQuery), body));
        } catch (SimError e) {
            return SimResponse.error(e);
        } catch (RuntimeException e) {
            return SimResponse.error(new SimError(500, "server_error", "simulator failure: " + e.getClass().getSimpleName(), null));
        }
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
