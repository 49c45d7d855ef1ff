package clf.server.internal.cattle.spawn;

import clf.protocol.CattleFiles;
import clf.protocol.Task;
import clf.protocol.WireTime;
import clf.secrets.IssuedToken;
import clf.secrets.Secret;
import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The cloud-init user_data of a cattle VM (spec §3.8): the admin user, the task, the tailnet
 * join key, the one-time bootstrap token and the identity files. Secrets other than the join
 * key and the token never go here; the VM fetches them over the tailnet. Every string is
 * written as a double-quoted YAML scalar with everything a YAML reader could misread escaped
 * ({@link #quote}), so no value can break the document or change on the way.
 */
public final class CloudInit {
    public static final int MAX_BYTES = 32 * 1024;
    public static final String TASK_PATH = CattleFiles.TASK_PATH;
    public static final String TAILSCALE_KEY_PATH = CattleFiles.TAILSCALE_KEY_PATH;
    public static final String BOOTSTRAP_PATH = CattleFiles.BOOTSTRAP_PATH;
    public static final String PUBLIC_ENV_PATH = CattleFiles.PUBLIC_ENV_PATH;
    public static final String IDENTITY_DIR = CattleFiles.IDENTITY_DIR;
    private static final Pattern ENV_NAME = Pattern.compile("[A-Z_][A-Z0-9_]*");
    private static final Set<String> PUBLIC_ENV = Set.of(CattleFiles.AUTO_SHUTDOWN);
    private static final Pattern HOSTNAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9-]{0,61}[a-zA-Z0-9]");
    private static final JSON PRETTY = JSON.std.with(JSON.Feature.PRETTY_PRINT_OUTPUT);

    private CloudInit() {
    }

    /** Everything the document is made of. */
    public record Inputs(String hostname, List<String> adminKeys, Secret tailscaleAuthKey, Task task,
            Map<String, String> publicEnv, String bootstrapBaseUrl, IssuedToken bootstrapToken, Identity identity) {
    }

    public static String render(Inputs in) {
        if (in.hostname() == null || !HOSTNAME.matcher(in.hostname()).matches()) {
            throw new IllegalArgumentException("invalid hostname for cloud-init: " + in.hostname());
        }
        List<String> adminKeys = in.adminKeys().stream().map(String::strip).filter(key -> !key.isEmpty())
                .distinct().toList();
        if (adminKeys.isEmpty()) {
            throw new IllegalArgumentException("no admin SSH public key (need at least 1)");
        }
        if (in.tailscaleAuthKey() == null) {
            throw new IllegalArgumentException("tailscale auth key is missing");
        }
        checkPublicEnv(in.publicEnv());
        if (in.bootstrapBaseUrl() == null
                || !in.bootstrapBaseUrl().startsWith("http://") && !in.bootstrapBaseUrl().startsWith("https://")) {
            throw new IllegalArgumentException("bootstrap base URL must be http(s): " + in.bootstrapBaseUrl());
        }
        if (in.bootstrapToken() == null) {
            throw new IllegalArgumentException("bootstrap token is missing");
        }
        StringBuilder y = new StringBuilder(4096);
        y.append("#cloud-config\n");
        y.append("hostname: ").append(quote(in.hostname())).append('\n');
        y.append("preserve_hostname: false\n");
        y.append("users:\n");
        y.append("  - default\n");
        y.append("  - name: admin\n");
        y.append("    groups: [wheel]\n");
        y.append("    lock_passwd: true\n");
        y.append("    sudo: \"ALL=(ALL) NOPASSWD:ALL\"\n");
        y.append("    shell: /run/current-system/sw/bin/bash\n");
        y.append("    ssh_authorized_keys:\n");
        for (String key : adminKeys) {
            y.append("      - ").append(quote(key)).append('\n');
        }
        y.append("write_files:\n");
        Task vmTask = new Task(in.task().taskId(), in.task().message(), ""); // callbacks never reach the VM
        file(y, TASK_PATH, "0600", pretty(vmTask.toJson()));
        file(y, TAILSCALE_KEY_PATH, "0400", in.tailscaleAuthKey().reveal() + "\n");
        Map<String, Object> bootstrap = new LinkedHashMap<>();
        bootstrap.put(CattleFiles.BOOTSTRAP_BASE_URL, in.bootstrapBaseUrl());
        bootstrap.put(CattleFiles.BOOTSTRAP_TOKEN, in.bootstrapToken().token().reveal());
        // When the agent stops retrying: the token's expiry at issue. The daemon restarts its TTL
        // at the server's creation, a few seconds later, so the agent gives up a little early, never late.
        bootstrap.put(CattleFiles.BOOTSTRAP_EXPIRES_AT, WireTime.format(in.bootstrapToken().expiresAt()));
        file(y, BOOTSTRAP_PATH, "0400", pretty(bootstrap));
        if (!in.publicEnv().isEmpty()) {
            file(y, PUBLIC_ENV_PATH, "0400", compact(new TreeMap<>(in.publicEnv())) + "\n");
        }
        file(y, IDENTITY_DIR + "/SOUL.md", "0600", in.identity().soul() + "\n");
        file(y, IDENTITY_DIR + "/config.json", "0600", in.identity().configJson());
        y.append("runcmd:\n");
        y.append("  - [systemctl, restart, tailscaled.service]\n");
        y.append("  - [systemctl, restart, tailscaled-autoconnect.service]\n");
        String document = y.toString();
        int bytes = document.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_BYTES) {
            throw new TooLarge(bytes);
        }
        return document;
    }

    /** The document is longer than Hetzner takes: no attempt can change that, only a shorter input. */
    public static final class TooLarge extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        private final int bytes;

        TooLarge(int bytes) {
            super("cloud-init user_data too large: " + bytes + " bytes (Hetzner limit " + MAX_BYTES
                    + "); shorten the task message or the identity files");
            this.bytes = bytes;
        }

        public int bytes() {
            return bytes;
        }
    }

    private static void file(StringBuilder y, String path, String permissions, String content) {
        y.append("  - path: ").append(path).append('\n');
        y.append("    permissions: \"").append(permissions).append("\"\n");
        y.append("    owner: \"root:root\"\n");
        y.append("    content: ").append(quote(content)).append('\n');
    }

    /**
     * Only {@code CLAWDLETS_CATTLE_AUTO_SHUTDOWN=0|1} travels in user_data (spec §3.8 step 4):
     * anything else would be a secret or a setting the VM does not read.
     */
    private static void checkPublicEnv(Map<String, String> publicEnv) {
        for (Map.Entry<String, String> entry : publicEnv.entrySet()) {
            String name = entry.getKey();
            if (name == null || !ENV_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("cloud-init env: not a variable name: " + name);
            }
            if (!name.startsWith("CLAWDLETS_")) {
                throw new IllegalArgumentException("cloud-init env not allowed: " + name
                        + " (secrets must be fetched at runtime)");
            }
            if (!PUBLIC_ENV.contains(name)) {
                throw new IllegalArgumentException("cloud-init env not supported: " + name);
            }
            if (!"0".equals(entry.getValue()) && !"1".equals(entry.getValue())) {
                throw new IllegalArgumentException("cloud-init env invalid: " + name + " must be 0|1");
            }
        }
    }

    /**
     * A YAML double-quoted scalar that every YAML 1.1 and 1.2 reader (cloud-init uses PyYAML)
     * reads back as exactly {@code value}. Escaped: quote, backslash, C0 and C1 controls, DEL,
     * the characters YAML 1.1 takes for line breaks (NEL, U+2028, U+2029), the byte order mark
     * and the non-characters U+FFFE/U+FFFF; a lone surrogate, which no reader can hold, becomes
     * U+FFFD. Everything else, emoji included, is written as it is (UTF-8).
     */
    static String quote(String value) {
        StringBuilder quoted = new StringBuilder(value.length() + 16).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                quoted.append(c).append(value.charAt(++i));
                continue;
            }
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                case '\t' -> quoted.append("\\t");
                case '\r' -> quoted.append("\\r");
                default -> {
                    if (Character.isSurrogate(c)) {
                        quoted.append("\\uFFFD");
                    } else if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029'
                            || c == '\uFEFF' || c == '\uFFFE' || c == '\uFFFF') {
                        quoted.append(String.format("\\u%04X", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }

    private static String compact(Object value) {
        try {
            return wellFormed(JSON.std.asString(value));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String pretty(Object value) {
        try {
            return wellFormed(PRETTY.asString(value)) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * JSON text with each lone surrogate (a task message may carry one, sent as a JSON escape)
     * written as its escape, as well-formed JSON.stringify does: outside strings JSON text is
     * ASCII, so the escape lands inside the string it came from.
     */
    static String wellFormed(String json) {
        StringBuilder out = null;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            boolean paired = Character.isHighSurrogate(c) && i + 1 < json.length()
                    && Character.isLowSurrogate(json.charAt(i + 1));
            if (paired) {
                if (out != null) {
                    out.append(c).append(json.charAt(i + 1));
                }
                i++;
            } else if (Character.isSurrogate(c)) {
                if (out == null) {
                    out = new StringBuilder(json.length() + 16).append(json, 0, i);
                }
                out.append(String.format("\\u%04x", (int) c));
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? json : out.toString();
    }
}
