package clf.server.internal.config;

import clf.protocol.Ttl;
import clf.secrets.BootstrapTokens;
import clf.secrets.Secret;
import clf.secrets.SecretSource;
import clf.server.internal.tailnet.LocalApi;
import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How cattle VMs are made (spec §5.1 and the issue's additions). Secrets (the Hetzner token,
 * the tailnet join key) are not kept here: they are read from {@link SecretSource} when used,
 * so a rotated credential needs no restart; start-up only checks that they are there.
 *
 * @param allowedImages      what bots may ask for besides the configured image (operators: anything)
 * @param maxInstances       cattle servers on this Hetzner project at once, all requesters together
 * @param maxPerRequester    cattle servers one requester may have at once
 * @param listenHost         the cattle listener's address ({@code auto}: tailscale0)
 * @param secretsBaseUrl     what VMs call; {@code null}: derived from the listen address
 * @param verifyPeer         whether GET /v1/cattle/env checks that the caller is the token's VM
 * @param tailscaleSocket    tailscaled's LocalAPI socket, asked who a caller is
 * @param adoptLegacy        count and reap the original implementation's servers and reuse its
 *                           firewall ({@code CLF_CATTLE_ADOPT_LEGACY}, issue 10 §5)
 * @param tailnetJoin        how VMs join the tailnet: a key minted per VM, or the static one
 * @param deleteOnFinish     reap a server as soon as its agent reports its task finished
 *                           ({@code CLF_CATTLE_DELETE_ON_FINISH}, issue 13 §2) instead of at its TTL
 */
public record CattleConfig(
        URI hcloudApiUrl,
        String image,
        String serverType,
        String location,
        Set<String> allowedImages,
        Set<String> allowedServerTypes,
        Set<String> allowedLocations,
        int maxInstances,
        int maxPerRequester,
        Map<String, String> labels,
        boolean autoShutdown,
        String listenHost,
        int listenPort,
        String secretsBaseUrl,
        Duration bootstrapTtl,
        Path identitiesRoot,
        List<String> adminKeys,
        Duration bootTimeout,
        Duration statusPoll,
        Duration reapInterval,
        Path tokensPath,
        VerifyPeer verifyPeer,
        Path tailscaleSocket,
        boolean adoptLegacy,
        TailnetJoin tailnetJoin,
        boolean deleteOnFinish) {

    public static final String HCLOUD_TOKEN = "HCLOUD_TOKEN";
    public static final List<String> TAILSCALE_KEY_NAMES = List.of("TAILSCALE_AUTH_KEY", "CLF_TAILSCALE_AUTH_KEY");
    private static final Pattern LABEL_KEY = Pattern.compile("([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
    private static final Pattern LABEL_VALUE = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?");
    private static final int MAX_KEYS_BYTES = 64 * 1024;

    /** Reads the cattle settings; {@code null} when CLF_CATTLE_ENABLED=0. */
    public static CattleConfig fromEnv(Map<String, String> env, SecretSource secrets, Path dbPath, EnvReader read) {
        if (!read.bool("CLF_CATTLE_ENABLED", true)) {
            return null;
        }
        URI api = read.parsed("CLF_HCLOUD_API_URL", URI.create("https://api.hetzner.cloud/v1"), CattleConfig::httpUrl);
        String image = read.parsed("CLF_CATTLE_IMAGE", null, raw -> ImageRef.parse(raw).text());
        String serverType = read.string("CLF_CATTLE_SERVER_TYPE", "cx23");
        String location = read.string("CLF_CATTLE_LOCATION", "nbg1");
        int maxInstances = read.integer("CLF_CATTLE_MAX_INSTANCES", 10, 1, 1000);
        int perRequester = read.integer("CLF_CATTLE_MAX_PER_REQUESTER", Math.min(maxInstances, 3), 1, 1000);
        Map<String, String> labels = read.parsed("CLF_CATTLE_LABELS_JSON", Map.of(), CattleConfig::labels);
        String host = read.parsed(ListenHost.VARIABLE, "auto", raw -> {
            ListenHost.checkNotWildcard(raw); // "auto" is resolved when the listener starts
            return raw;
        });
        int port = read.integer("CLF_CATTLE_SECRETS_LISTEN_PORT", 18337, 0, 65535);
        String baseUrl = read.parsed("CLF_CATTLE_SECRETS_BASE_URL", null, raw -> httpUrl(raw).toString());
        Duration bootstrapTtl = read.millis("CLF_CATTLE_BOOTSTRAP_TTL_MS", Duration.ofMinutes(10),
                BootstrapTokens.MIN_TTL, BootstrapTokens.MAX_TTL);
        Path identities = Path.of(read.string("CLF_IDENTITIES_ROOT", "/var/lib/clf/identities"));
        Duration bootTimeout = read.millis("CLF_CATTLE_BOOT_TIMEOUT_MS", Duration.ofMinutes(3), Duration.ofSeconds(1),
                Duration.ofMinutes(30));
        Duration poll = read.millis("CLF_CATTLE_STATUS_POLL_MS", Duration.ofSeconds(2), Duration.ofMillis(10),
                Duration.ofMinutes(1));
        Duration reapInterval = read.parsed("CLF_REAP_INTERVAL", Duration.ofMinutes(5), raw -> Ttl.parse("value", raw));
        Path tokens = Path.of(read.string("CLF_TOKENS_DB_PATH", dbPath.resolveSibling("tokens.sqlite").toString()));
        VerifyPeer verifyPeer = read.parsed(VerifyPeer.VARIABLE, VerifyPeer.AUTO, VerifyPeer::parse);
        Path tailscaleSocket = read.absolutePath("CLF_TAILSCALE_SOCKET", LocalApi.DEFAULT_SOCKET.toString());
        if (verifyPeer == VerifyPeer.REQUIRED && tailscaleSocket.isAbsolute() && !LocalApi.socketPresent(tailscaleSocket)) {
            read.problem(VerifyPeer.VARIABLE + "=required: no tailscaled LocalAPI socket at " + tailscaleSocket
                    + " (is tailscaled running? if it listens elsewhere, set CLF_TAILSCALE_SOCKET)");
        }

        // What a spawn cannot do without, named all at once (spec §5.1, issue: refuse to start).
        List<String> missing = new ArrayList<>();
        if (secrets.get(HCLOUD_TOKEN).isEmpty()) {
            missing.add(HCLOUD_TOKEN + " (systemd credential or environment)");
        }
        if (image == null && !read.isSet("CLF_CATTLE_IMAGE")) {
            missing.add("CLF_CATTLE_IMAGE");
        }
        TailnetJoin join = TailnetJoin.fromEnv(secrets, read);
        if (!join.oauth() && tailscaleKey(secrets) == null) {
            missing.add("TAILSCALE_AUTH_KEY, or a Tailscale OAuth client (" + TailnetJoin.OAUTH_CLIENT_ID + " and "
                    + TailnetJoin.OAUTH_CLIENT_SECRET + ") to mint a key per VM (systemd credentials or environment)");
        }
        List<String> adminKeys = adminKeys(read);
        if (adminKeys == null) {
            adminKeys = List.of(); // the problem with the file or the inline value is reported already
        } else if (adminKeys.isEmpty()) {
            missing.add("admin SSH keys (CLF_ADMIN_AUTHORIZED_KEYS_FILE or CLF_ADMIN_AUTHORIZED_KEYS)");
        }
        if (!missing.isEmpty()) {
            read.problem("cattle is enabled (CLF_CATTLE_ENABLED=1) but these are missing: " + String.join(", ", missing));
        }
        Set<String> allowedImages = csv(read.string("CLF_CATTLE_ALLOWED_IMAGES", ""));
        for (String allowed : allowedImages) {
            read.parsed("CLF_CATTLE_ALLOWED_IMAGES", null, raw -> ImageRef.parse(allowed));
        }
        return new CattleConfig(api, image, serverType, location, allowedImages, csv(read.string("CLF_CATTLE_ALLOWED_SERVER_TYPES", "")),
                csv(read.string("CLF_CATTLE_ALLOWED_LOCATIONS", "")), maxInstances, perRequester, labels,
                read.bool("CLF_CATTLE_AUTO_SHUTDOWN", true), host, port, baseUrl, bootstrapTtl, identities, adminKeys,
                bootTimeout, poll, reapInterval, tokens, verifyPeer, tailscaleSocket,
                read.bool("CLF_CATTLE_ADOPT_LEGACY", true), join, read.bool("CLF_CATTLE_DELETE_ON_FINISH", true));
    }

    /** The tailnet join key: the first of TAILSCALE_AUTH_KEY, CLF_TAILSCALE_AUTH_KEY that is set. */
    public static Secret tailscaleKey(SecretSource secrets) {
        for (String name : TAILSCALE_KEY_NAMES) {
            var value = secrets.get(name);
            if (value.isPresent()) {
                return value.get();
            }
        }
        return null;
    }

    /** Whether a bot (not an operator) may ask for this image / type / location. */
    public boolean botMayUseImage(String value) {
        return value.isEmpty() || value.equals(image) || allowedImages.contains(value);
    }

    public boolean botMayUseServerType(String value) {
        return value.isEmpty() || value.equals(serverType) || allowedServerTypes.contains(value);
    }

    public boolean botMayUseLocation(String value) {
        return value.isEmpty() || value.equals(location) || allowedLocations.contains(value);
    }

    /** The admin keys, {@code null} if their source is unusable (reported), empty if none is set. */
    private static List<String> adminKeys(EnvReader read) {
        String file = read.string("CLF_ADMIN_AUTHORIZED_KEYS_FILE", null);
        String text;
        if (file != null) {
            Path path = Path.of(file);
            try {
                if (!Files.isRegularFile(path)) {
                    read.problem("CLF_ADMIN_AUTHORIZED_KEYS_FILE: a regular file, got '" + file + "'");
                    return null;
                }
                if (Files.size(path) > MAX_KEYS_BYTES) {
                    read.problem("CLF_ADMIN_AUTHORIZED_KEYS_FILE: at most " + MAX_KEYS_BYTES + " bytes, got '" + file + "'");
                    return null;
                }
                text = Files.readString(path);
            } catch (IOException e) {
                read.problem("CLF_ADMIN_AUTHORIZED_KEYS_FILE: a readable file, got '" + file + "' (" + e.getMessage() + ")");
                return null;
            }
        } else {
            text = read.string("CLF_ADMIN_AUTHORIZED_KEYS", "");
            if (text.getBytes(StandardCharsets.UTF_8).length > MAX_KEYS_BYTES) {
                read.problem("CLF_ADMIN_AUTHORIZED_KEYS: at most " + MAX_KEYS_BYTES + " bytes inline (use"
                        + " CLF_ADMIN_AUTHORIZED_KEYS_FILE), got " + text.length() + " chars");
                return null;
            }
        }
        Set<String> keys = new LinkedHashSet<>();
        for (String line : text.split("\n")) {
            String key = line.strip();
            if (!key.isEmpty() && !key.startsWith("#")) {
                keys.add(key);
            }
        }
        return List.copyOf(keys);
    }

    private static Set<String> csv(String raw) {
        Set<String> values = new LinkedHashSet<>();
        for (String value : raw.split(",")) {
            if (!value.isBlank()) {
                values.add(value.strip());
            }
        }
        return Set.copyOf(values);
    }

    private static URI httpUrl(String raw) {
        if (!raw.startsWith("http://") && !raw.startsWith("https://")) {
            throw new IllegalArgumentException("an http(s) URL, got '" + raw + "'");
        }
        try {
            return URI.create(raw.replaceAll("/+$", ""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("an http(s) URL, got '" + raw + "'");
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> labels(String raw) {
        Object parsed;
        try {
            parsed = JSON.std.anyFrom(raw);
        } catch (IOException e) {
            throw new IllegalArgumentException("a JSON object of Hetzner labels, got '" + raw + "'");
        }
        if (!(parsed instanceof Map)) {
            throw new IllegalArgumentException("a JSON object of Hetzner labels, got '" + raw + "'");
        }
        Map<String, String> labels = new LinkedHashMap<>();
        for (Map.Entry<String, Object> entry : ((Map<String, Object>) parsed).entrySet()) {
            if (!LABEL_KEY.matcher(entry.getKey()).matches() || !(entry.getValue() instanceof String value)
                    || !LABEL_VALUE.matcher(value).matches()) {
                throw new IllegalArgumentException("valid Hetzner label keys and string values, got '"
                        + entry.getKey() + "': " + entry.getValue());
            }
            labels.put(entry.getKey(), value);
        }
        return Map.copyOf(labels);
    }
}
