package clf.server.internal.cattle;

import clf.secrets.Secret;
import clf.server.protocol.Task;
import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The cloud-init user_data of a cattle VM (spec §3.8): the admin user, the task, the tailnet
 * join key, the one-time bootstrap token and the identity files. Secrets other than the join
 * key and the token never go here; the VM fetches them over the tailnet. Every string is
 * written as a JSON-style double-quoted YAML scalar, so no value can break the document.
 */
public final class CloudInit {
    public static final int MAX_BYTES = 32 * 1024;
    public static final String TASK_PATH = "/var/lib/clawdlets/cattle/task.json";
    public static final String TAILSCALE_KEY_PATH = "/run/secrets/tailscale_auth_key";
    public static final String BOOTSTRAP_PATH = "/run/clawdlets/cattle/bootstrap.json";
    public static final String PUBLIC_ENV_PATH = "/run/clawdlets/cattle/env.public";
    public static final String IDENTITY_DIR = "/var/lib/clawdlets/identity";
    private static final Pattern HOSTNAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9-]{0,61}[a-zA-Z0-9]");
    private static final JSON PRETTY = JSON.std.with(JSON.Feature.PRETTY_PRINT_OUTPUT);

    private CloudInit() {
    }

    /** Everything the document is made of. */
    public record Inputs(String hostname, List<String> adminKeys, Secret tailscaleAuthKey, Task task,
            Map<String, String> publicEnv, String bootstrapBaseUrl, Secret bootstrapToken, Identity identity) {
    }

    public static String render(Inputs in) {
        if (!HOSTNAME.matcher(in.hostname()).matches()) {
            throw new IllegalArgumentException("invalid hostname for cloud-init: " + in.hostname());
        }
        if (in.adminKeys().isEmpty()) {
            throw new IllegalArgumentException("no admin SSH public key (need at least 1)");
        }
        if (!in.bootstrapBaseUrl().startsWith("http://") && !in.bootstrapBaseUrl().startsWith("https://")) {
            throw new IllegalArgumentException("bootstrap base URL must be http(s): " + in.bootstrapBaseUrl());
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
        for (String key : in.adminKeys()) {
            y.append("      - ").append(quote(key)).append('\n');
        }
        y.append("write_files:\n");
        Task vmTask = new Task(in.task().taskId(), in.task().message(), ""); // callbacks never reach the VM
        file(y, TASK_PATH, "0600", pretty(vmTask.toJson()));
        file(y, TAILSCALE_KEY_PATH, "0400", in.tailscaleAuthKey().reveal() + "\n");
        Map<String, Object> bootstrap = new LinkedHashMap<>();
        bootstrap.put("baseUrl", in.bootstrapBaseUrl());
        bootstrap.put("token", in.bootstrapToken().reveal());
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
            throw new IllegalArgumentException("cloud-init user_data too large: " + bytes + " bytes (Hetzner limit "
                    + MAX_BYTES + "); shorten the task message or the identity files");
        }
        return document;
    }

    private static void file(StringBuilder y, String path, String permissions, String content) {
        y.append("  - path: ").append(path).append('\n');
        y.append("    permissions: \"").append(permissions).append("\"\n");
        y.append("    owner: \"root:root\"\n");
        y.append("    content: ").append(quote(content)).append('\n');
    }

    /** A JSON string literal, which YAML reads as the same double-quoted scalar. */
    static String quote(String value) {
        return compact(value);
    }

    private static String compact(Object value) {
        try {
            return JSON.std.asString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String pretty(Object value) {
        try {
            return PRETTY.asString(value) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
