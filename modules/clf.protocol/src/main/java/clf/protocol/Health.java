package clf.protocol;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The daemon's health: well only when every check is. {@code GET /healthz} answers this as is,
 * 200 when well and 503 when not (v1 read only {@code {"ok":true}}; the rest is additive):
 * {@code {"ok":false,"failed":["database"],"checks":{"database":{"ok":false,"detail":"…"},…}}}.
 *
 * @param checks by name, in the order they ran: {@link #DATABASE}, {@link #BOT_SOCKET},
 *               {@link #CATTLE_LISTENER} (only with cattle enabled), {@link #WORKERS},
 *               {@link #HETZNER_CATALOG} and {@link #PEER_VERIFICATION} (only with cattle enabled)
 */
public record Health(Map<String, Check> checks) {
    public static final String DATABASE = "database";
    public static final String BOT_SOCKET = "botSocket";
    public static final String CATTLE_LISTENER = "cattleListener";
    public static final String WORKERS = "workers";
    /**
     * The configured server type, image and location as Hetzner's catalog lists them: failing
     * while one is unknown, or deprecated and past its {@code unavailable_after} date.
     */
    public static final String HETZNER_CATALOG = "hetznerCatalog";
    /**
     * Whether the cattle listener can check who redeems a token: failing while verification is
     * on ({@code CLF_CATTLE_VERIFY_PEER=required}, or {@code auto} once tailscaled was found)
     * and tailscaled's LocalAPI socket is gone; well, saying it is off, otherwise.
     */
    public static final String PEER_VERIFICATION = "peerVerification";

    public Health {
        checks = Collections.unmodifiableMap(new LinkedHashMap<>(checks));
    }

    /** One check's verdict; {@code detail} says what was seen, for people. */
    public record Check(boolean ok, String detail) {
        public static Check well(String detail) {
            return new Check(true, detail);
        }

        public static Check failing(String detail) {
            return new Check(false, detail);
        }
    }

    public boolean ok() {
        return checks.values().stream().allMatch(Check::ok);
    }

    /** The names of the checks that failed, in order. */
    public List<String> failed() {
        List<String> failed = new ArrayList<>();
        checks.forEach((name, check) -> {
            if (!check.ok()) {
                failed.add(name);
            }
        });
        return failed;
    }

    /** The body of {@code /healthz}; no protocolVersion there, as in v1. */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("ok", ok());
        json.put("failed", failed());
        Map<String, Object> named = new LinkedHashMap<>();
        checks.forEach((name, check) -> {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("ok", check.ok());
            one.put("detail", check.detail());
            named.put(name, one);
        });
        json.put("checks", named);
        return json;
    }

    /** Reads {@link #toJson()}'s form; {@code ok} and {@code failed} follow from the checks. */
    public static Health fromJson(JsonFields fields) {
        JsonFields named = fields.object("checks");
        Map<String, Check> checks = new LinkedHashMap<>();
        for (String name : named.names()) {
            JsonFields check = named.object(name);
            Boolean ok = check.bool("ok", null);
            if (ok == null) {
                throw new InvalidInputException(check.field("ok"), "true or false", null);
            }
            checks.put(name, new Check(ok, check.string("detail", "")));
        }
        return new Health(checks);
    }
}
