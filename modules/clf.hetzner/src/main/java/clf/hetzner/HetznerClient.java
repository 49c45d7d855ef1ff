package clf.hetzner;

import clf.hetzner.internal.ApiCall;
import clf.hetzner.internal.CatalogJson;
import clf.hetzner.internal.ClientMeter;
import clf.hetzner.internal.Decode;
import clf.hetzner.internal.FirewallCache;
import clf.hetzner.internal.FirewallJson;
import clf.hetzner.internal.HttpCaller;
import clf.hetzner.internal.Pages;
import clf.hetzner.internal.RateReserve;
import clf.hetzner.internal.RuleSets;
import clf.hetzner.internal.Selectors;
import clf.hetzner.internal.ServerJson;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The Hetzner Cloud API calls clf makes. Thread-safe; one instance per API token.
 *
 * <p>Every method either returns what the API said or throws a {@link HetznerException} once the
 * client's own retries (see {@link HetznerConfig}) are used up. Any such exception also clears the
 * firewall cache of {@link #ensureFirewall}.
 */
public final class HetznerClient {
    private final HetznerConfig config;
    private final Clock clock;
    private final ClientMeter meter;
    private final RateReserve reserve;
    private final HttpCaller caller;
    private final FirewallCache firewallCache;
    private final Object ensureLock;
    /** The same client sending essential calls; this itself when it already does. */
    private final HetznerClient essential;

    private HetznerClient(HetznerConfig config, Supplier<String> token, Clock clock, Sleeper sleeper) {
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.meter = new ClientMeter();
        this.reserve = new RateReserve();
        this.caller = new HttpCaller(config, Objects.requireNonNull(token, "token"), clock,
                Objects.requireNonNull(sleeper, "sleeper"), meter, reserve);
        this.firewallCache = new FirewallCache(config.firewallCacheTtl());
        this.ensureLock = new Object();
        this.essential = new HetznerClient(this);
    }

    /** The essential view of {@code ordinary}: everything shared but the calls' class. */
    private HetznerClient(HetznerClient ordinary) {
        this.config = ordinary.config;
        this.clock = ordinary.clock;
        this.meter = ordinary.meter;
        this.reserve = ordinary.reserve;
        this.caller = ordinary.caller.withClass(CallClass.ESSENTIAL);
        this.firewallCache = ordinary.firewallCache;
        this.ensureLock = ordinary.ensureLock;
        this.essential = this;
    }

    /**
     * @param token asked for on every request, so a rotated token is picked up; it is never kept
     *              in a field of this client nor written into any text
     */
    public static HetznerClient create(HetznerConfig config, Supplier<String> token) {
        return new HetznerClient(config, token, Clock.systemUTC(), Sleeper.real());
    }

    /** With the time source and the wait between retries replaced, for tests. */
    public static HetznerClient create(HetznerConfig config, Supplier<String> token, Clock clock, Sleeper sleeper) {
        return new HetznerClient(config, token, clock, sleeper);
    }

    // ---- rate-limit reserve --------------------------------------------------------------------

    /**
     * Keeps {@code percent} of {@code RateLimit-Limit} for {@link CallClass#ESSENTIAL} calls: when
     * the remaining budget is under it, {@link CallClass#ORDINARY} calls (this client's, by
     * default) wait until it has refilled, and {@code onWait} is told once per waiting call. 0, the
     * default, keeps nothing back. Applies to every view of this client.
     */
    public void reserveForEssential(int percent, Consumer<BudgetWait> onWait) {
        reserve.configure(percent, onWait);
    }

    /** This client sending {@link CallClass#ESSENTIAL} calls, which go out under the reserve too. */
    public HetznerClient essential() {
        return essential;
    }

    // ---- servers -------------------------------------------------------------------------------

    /** All servers matching the label selector ({@code null} or blank: all), every page read. */
    public List<Server> listServers(String labelSelector) {
        return guarded(() -> ServerJson.fromList(Pages.all(caller,
                ApiCall.get("/servers", query("label_selector", labelSelector)), "servers", config.pageSize())));
    }

    /** The server with this id, or empty when Hetzner answers 404. */
    public Optional<Server> getServer(long id) {
        return guarded(() -> {
            ApiCall call = ApiCall.get("/servers/" + id, Map.of());
            try {
                return Optional.of(Decode.body(call, caller.send(call).body(), ServerJson::fromEnvelope));
            } catch (HetznerApiException e) {
                if (e.status() == 404) {
                    return Optional.empty();
                }
                throw e;
            }
        });
    }

    /** The server with exactly this name ({@code GET /servers?name=}); names are unique per project. */
    public Optional<Server> findServerByName(String name) {
        requireText("name", name);
        return guarded(() -> {
            ApiCall call = ApiCall.get("/servers", query("name", name));
            return Pages.all(caller, call, "servers", config.pageSize()).stream()
                    .map(ServerJson::from)
                    .filter(server -> server.name().equals(name))
                    .findFirst();
        });
    }

    /**
     * Creates a server. When Hetzner refuses the name as taken ({@code uniqueness_error}) and the
     * server holding it carries every requested label and is not being deleted, that server is
     * returned with {@code adopted = true}: it is what an earlier attempt, whose answer was lost,
     * created. A server with other labels is someone else's, and the conflict is thrown.
     */
    public CreatedServer createServer(ServerSpec spec) {
        return createServer(spec, null);
    }

    /**
     * Creates a server, sending the create again after a try without an answer (or a 5xx) only
     * while that answer is due before {@code repeatUntil}: a server the first try made may be
     * deleted from then on (its TTL passed), and a repeat would then make a second one. Past it,
     * the failure is thrown and the caller finds out by the server's labels what was made.
     *
     * @param repeatUntil {@code null}: repeat as for any call
     */
    public CreatedServer createServer(ServerSpec spec, Instant repeatUntil) {
        Objects.requireNonNull(spec, "spec");
        return guarded(() -> {
            List<String> secrets = spec.userData() == null ? List.of() : List.of(spec.userData());
            ApiCall call = ApiCall.post("/servers", ServerJson.createBody(spec), secrets).repeatedOnlyUntil(repeatUntil);
            try {
                return new CreatedServer(Decode.body(call, caller.send(call).body(), ServerJson::fromEnvelope), false);
            } catch (HetznerApiException e) {
                if (!"uniqueness_error".equals(e.code())) {
                    throw e;
                }
                Optional<Server> existing = findServerByName(spec.name());
                if (existing.isPresent() && adoptable(existing.get(), spec)) {
                    return new CreatedServer(existing.get(), true);
                }
                throw e;
            }
        });
    }

    private static boolean adoptable(Server existing, ServerSpec spec) {
        return existing.status() != ServerStatus.DELETING
                && existing.labels().entrySet().containsAll(spec.labels().entrySet());
    }

    /** Deletes a server; a 404 means someone already did and is {@link DeleteOutcome#ALREADY_GONE}. */
    public DeleteOutcome deleteServer(long id) {
        return guarded(() -> {
            try {
                caller.send(ApiCall.delete("/servers/" + id));
                return DeleteOutcome.DELETED;
            } catch (HetznerApiException e) {
                if (e.status() == 404) {
                    return DeleteOutcome.ALREADY_GONE;
                }
                throw e;
            }
        });
    }

    // ---- catalog -------------------------------------------------------------------------------

    /** Every server type Hetzner lists ({@code GET /server_types}, every page). */
    public List<ServerType> listServerTypes() {
        return guarded(() -> Pages.all(caller, ApiCall.get("/server_types", Map.of()), "server_types", config.pageSize())
                .stream().map(CatalogJson::serverType).toList());
    }

    /** Every location ({@code GET /locations}, every page). */
    public List<Location> listLocations() {
        return guarded(() -> Pages.all(caller, ApiCall.get("/locations", Map.of()), "locations", config.pageSize())
                .stream().map(CatalogJson::location).toList());
    }

    /**
     * The images matching the filter ({@code GET /images}, every page), in the order Hetzner
     * answers (its {@code sort}, when the filter names one).
     */
    public List<Image> listImages(ImageFilter filter) {
        Objects.requireNonNull(filter, "filter");
        return guarded(() -> {
            Map<String, String> query = query("type", filter.type());
            query.putAll(query("label_selector", filter.labelSelector()));
            query.putAll(query("status", filter.status()));
            query.putAll(query("sort", filter.sort()));
            return Pages.all(caller, ApiCall.get("/images", query), "images", config.pageSize()).stream()
                    .map(CatalogJson::image).toList();
        });
    }

    /** The image with this id, or empty when Hetzner answers 404. */
    public Optional<Image> getImage(long id) {
        return guarded(() -> {
            ApiCall call = ApiCall.get("/images/" + id, Map.of());
            try {
                return Optional.of(Decode.body(call, caller.send(call).body(), CatalogJson::imageEnvelope));
            } catch (HetznerApiException e) {
                if (e.status() == 404) {
                    return Optional.empty();
                }
                throw e;
            }
        });
    }

    // ---- firewalls -----------------------------------------------------------------------------

    /**
     * The firewall with exactly this name among those matching the selector ({@code null}: any
     * labels), from {@code GET /firewalls?name=…&label_selector=…}.
     */
    public Optional<Firewall> findFirewallByName(String name, String labelSelector) {
        requireText("name", name);
        return guarded(() -> {
            Map<String, String> query = query("name", name);
            query.putAll(query("label_selector", labelSelector));
            return Pages.all(caller, ApiCall.get("/firewalls", query), "firewalls", config.pageSize()).stream()
                    .map(FirewallJson::from)
                    .filter(firewall -> firewall.name().equals(name))
                    .findFirst();
        });
    }

    /** The firewall with this id, or empty when Hetzner answers 404. */
    public Optional<Firewall> getFirewall(long id) {
        return guarded(() -> {
            ApiCall call = ApiCall.get("/firewalls/" + id, Map.of());
            try {
                return Optional.of(Decode.body(call, caller.send(call).body(), FirewallJson::fromEnvelope));
            } catch (HetznerApiException e) {
                if (e.status() == 404) {
                    return Optional.empty();
                }
                throw e;
            }
        });
    }

    public Firewall createFirewall(String name, List<FirewallRule> rules, Map<String, String> labels) {
        requireText("name", name);
        return guarded(() -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", name);
            body.put("labels", labels == null ? Map.of() : labels);
            body.put("rules", FirewallJson.toJson(rules));
            ApiCall call = ApiCall.post("/firewalls", body, List.of());
            return Decode.body(call, caller.send(call).body(), FirewallJson::fromEnvelope);
        });
    }

    /** Replaces all rules of the firewall ({@code POST /firewalls/{id}/actions/set_rules}). */
    public void setFirewallRules(long firewallId, List<FirewallRule> rules) {
        guarded(() -> caller.send(ApiCall.post("/firewalls/" + firewallId + "/actions/set_rules",
                Map.of("rules", FirewallJson.toJson(rules)), List.of())));
    }

    /**
     * Makes sure a firewall with this name exists with these rules, and returns its id. It looks
     * the firewall up by name among those carrying {@code labels}; creates it if missing (and on a
     * name conflict uses the firewall holding the name, whatever its labels); and sends
     * {@code set_rules} only when the rules differ ignoring order. A success is remembered for
     * {@link HetznerConfig#firewallCacheTtl()} or until any call of this client fails.
     * Concurrent callers are serialised so that only one of them creates.
     */
    public EnsuredFirewall ensureFirewall(String name, List<FirewallRule> rules, Map<String, String> labels) {
        requireText("name", name);
        Objects.requireNonNull(rules, "rules");
        Map<String, String> wanted = labels == null ? Map.of() : Map.copyOf(labels);
        synchronized (ensureLock) {
            OptionalLong cached = firewallCache.get(name, clock.instant());
            if (cached.isPresent()) {
                return new EnsuredFirewall(cached.getAsLong(), EnsuredFirewall.Outcome.CACHED);
            }
            return guarded(() -> {
                EnsuredFirewall ensured = ensureUncached(name, rules, wanted);
                firewallCache.put(name, ensured.id(), clock.instant());
                return ensured;
            });
        }
    }

    private EnsuredFirewall ensureUncached(String name, List<FirewallRule> rules, Map<String, String> labels) {
        Optional<Firewall> found = findFirewallByName(name, Selectors.allEqual(labels));
        if (found.isEmpty()) {
            try {
                return new EnsuredFirewall(createFirewall(name, rules, labels).id(), EnsuredFirewall.Outcome.CREATED);
            } catch (HetznerApiException e) {
                if (!"uniqueness_error".equals(e.code())) {
                    throw e;
                }
                // The name is taken by a firewall without our labels (or one created meanwhile).
                found = findFirewallByName(name, null);
                if (found.isEmpty()) {
                    throw e;
                }
            }
        }
        Firewall firewall = found.get();
        if (RuleSets.same(firewall.rules(), rules)) {
            return new EnsuredFirewall(firewall.id(), EnsuredFirewall.Outcome.UNCHANGED);
        }
        setFirewallRules(firewall.id(), rules);
        return new EnsuredFirewall(firewall.id(), EnsuredFirewall.Outcome.RULES_SET);
    }

    // ---- metrics -------------------------------------------------------------------------------

    /** Request counters and the last rate-limit headers seen. */
    public ClientStats stats() {
        return meter.snapshot();
    }

    @Override
    public String toString() {
        return "HetznerClient[" + config.baseUrl() + "]";
    }

    // ---- helpers -------------------------------------------------------------------------------

    /** Runs a call; any failure also clears the firewall cache (fix of spec §9.2.16). */
    private <T> T guarded(Supplier<T> action) {
        try {
            return action.get();
        } catch (HetznerException e) {
            firewallCache.clear();
            throw e;
        }
    }

    private static Map<String, String> query(String key, String value) {
        Map<String, String> query = new LinkedHashMap<>();
        if (value != null && !value.isBlank()) {
            query.put(key, value.trim());
        }
        return query;
    }

    private static void requireText(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " must not be blank");
        }
    }
}
