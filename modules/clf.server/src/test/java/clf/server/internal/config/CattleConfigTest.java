package clf.server.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.testing.TailscaledDouble;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cattle settings (spec §5.1 and the issue): what is required, what is checked, all reported at once. */
class CattleConfigTest {
    static final String ADMIN_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA admin@host";

    @TempDir
    Path dir;

    Map<String, String> complete() {
        return complete(dir);
    }

    /** A valid cattle environment with its state under {@code dir}. */
    static Map<String, String> complete(Path dir) {
        Map<String, String> env = new HashMap<>();
        env.put("CLF_DB_PATH", dir.resolve("state.sqlite").toString());
        env.put("HCLOUD_TOKEN", "hcloud-secret-value");
        env.put("CLF_CATTLE_IMAGE", "clf-cattle");
        env.put("TAILSCALE_AUTH_KEY", "tskey-secret-value");
        env.put("CLF_ADMIN_AUTHORIZED_KEYS", ADMIN_KEY);
        return env;
    }

    /** An environment without cattle, state under {@code dir}, and {@code pairs} (name, value, …) on top. */
    static Map<String, String> withoutCattle(Path dir, String... pairs) {
        Map<String, String> env = new HashMap<>(Map.of("CLF_DB_PATH", dir.resolve("state.sqlite").toString(),
                "CLF_CATTLE_ENABLED", "0"));
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    static List<String> problems(Map<String, String> env) {
        return assertThrows(ConfigException.class, () -> OrchestratorConfig.fromEnv(env)).problems();
    }

    static String missingLine(List<String> problems) {
        return problems.stream().filter(p -> p.contains("these are missing")).findFirst()
                .orElseThrow(() -> new AssertionError("no missing line in " + problems));
    }

    @Test
    void cattleIsOnByDefaultWithTheSpecDefaults() {
        CattleConfig cattle = OrchestratorConfig.fromEnv(complete()).cattle();

        assertEquals("auto", cattle.listenHost());
        assertEquals(18337, cattle.listenPort());
        assertEquals(Duration.ofMinutes(10), cattle.bootstrapTtl());
        assertEquals(List.of(ADMIN_KEY), cattle.adminKeys());
        assertNull(cattle.secretsBaseUrl());
        assertEquals("cx23", cattle.serverType(), "cx22 is no longer sold (issue 16)");
        assertEquals("nbg1", cattle.location());
        assertTrue(cattle.adoptLegacy(), "the original's servers are adopted unless told otherwise");
    }

    @Test
    void adoptLegacyTakesOneOrZeroAndNamesItselfWhenWrong() {
        Map<String, String> env = complete();
        env.put("CLF_CATTLE_ADOPT_LEGACY", "0");
        assertFalse(OrchestratorConfig.fromEnv(env).cattle().adoptLegacy());

        env.put("CLF_CATTLE_ADOPT_LEGACY", "maybe");
        List<String> problems = problems(env);
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("CLF_CATTLE_ADOPT_LEGACY:") && p.contains("'maybe'")),
                problems.toString());
    }

    @Test
    void allowedImagesAreImageReferencesToo() {
        Map<String, String> env = complete();
        env.put("CLF_CATTLE_ALLOWED_IMAGES", "123, label:role=clf-cattle-next, two words");

        List<String> problems = problems(env);

        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("CLF_CATTLE_ALLOWED_IMAGES: an image id (digits)")
                && problems.get(0).endsWith("got 'two words'"), problems.toString());
    }

    @Test
    void theImageIsAnIdANameOrALabelSelector() {
        Map<String, String> env = complete();
        for (String good : List.of("123456", "ubuntu-24.04", "label:role=clf-cattle", "label:role=clf-cattle,arch=x86")) {
            env.put("CLF_CATTLE_IMAGE", good);
            assertEquals(good, OrchestratorConfig.fromEnv(env).cattle().image());
        }
        for (String bad : List.of("label:", "label:  ", "my image", "0")) {
            env.put("CLF_CATTLE_IMAGE", bad);
            List<String> problems = problems(env);
            assertEquals(1, problems.size(), "named once, not also as missing: " + problems);
            assertTrue(problems.get(0).startsWith("CLF_CATTLE_IMAGE: an image id (digits), a system image name")
                    && problems.get(0).contains("label:KEY=VALUE") && problems.get(0).endsWith("got '" + bad.strip() + "'"),
                    problems.toString());
        }
    }

    @Test
    void everyMissingRequirementIsNamedInOneMessage() {
        Map<String, String> env = new HashMap<>(Map.of("CLF_DB_PATH", dir.resolve("state.sqlite").toString()));

        String missing = missingLine(problems(env));
        for (String name : List.of("HCLOUD_TOKEN", "CLF_CATTLE_IMAGE", "TAILSCALE_AUTH_KEY", "CLF_ADMIN_AUTHORIZED_KEYS")) {
            assertTrue(missing.contains(name), name + " in " + missing);
        }
    }

    @Test
    void onlyWhatIsMissingIsNamed() {
        Map<String, String> env = complete();
        env.remove("HCLOUD_TOKEN");
        env.remove("CLF_ADMIN_AUTHORIZED_KEYS");

        String missing = missingLine(problems(env));
        assertTrue(missing.contains("HCLOUD_TOKEN"), missing);
        assertTrue(missing.contains("admin SSH keys"), missing);
        assertFalse(missing.contains("CLF_CATTLE_IMAGE"), missing);
        assertFalse(missing.contains("TAILSCALE_AUTH_KEY"), missing);
    }

    @Test
    void secretsMayComeFromTheCredentialsDirectoryOrTheAlternativeTailscaleName() throws Exception {
        Path credentials = Files.createDirectories(dir.resolve("credentials"));
        Files.writeString(credentials.resolve("HCLOUD_TOKEN"), "from-file\n");
        Map<String, String> env = complete();
        env.remove("HCLOUD_TOKEN");
        env.remove("TAILSCALE_AUTH_KEY");
        env.put("CLF_TAILSCALE_AUTH_KEY", "tskey-alt");
        env.put("CREDENTIALS_DIRECTORY", credentials.toString());

        CattleConfig cattle = OrchestratorConfig.fromEnv(env).cattle();
        assertEquals("clf-cattle", cattle.image());
    }

    @Test
    void disabledCattleNeedsNothing() {
        Map<String, String> env = new HashMap<>(Map.of("CLF_DB_PATH", dir.resolve("state.sqlite").toString(),
                "CLF_CATTLE_ENABLED", "0"));
        assertNull(OrchestratorConfig.fromEnv(env).cattle());
    }

    @Test
    void retentionDaysAreReadAndCheckedWithCattleDisabledToo() {
        Map<String, String> env = new HashMap<>(Map.of("CLF_DB_PATH", dir.resolve("state.sqlite").toString(),
                "CLF_CATTLE_ENABLED", "0", "CLF_RETENTION_DAYS", "7"));
        assertEquals(7, OrchestratorConfig.fromEnv(env).retentionDays());

        env.put("CLF_RETENTION_DAYS", "0");
        assertEquals(List.of("CLF_RETENTION_DAYS: an integer from 1 to 3650, got '0'"), problems(env));
        env.put("CLF_CATTLE_ENABLED", "1");
        env.putAll(complete());
        env.put("CLF_RETENTION_DAYS", "0");
        assertEquals(List.of("CLF_RETENTION_DAYS: an integer from 1 to 3650, got '0'"), problems(env), "reported once");
    }

    @Test
    void everyInvalidCattleVariableIsReportedAtOnce() {
        Map<String, String> env = complete();
        env.put("CLF_CATTLE_MAX_INSTANCES", "0");
        env.put("CLF_CATTLE_SECRETS_LISTEN_PORT", "70000");
        env.put("CLF_CATTLE_SECRETS_LISTEN_HOST", "0.0.0.0");
        env.put("CLF_CATTLE_SECRETS_BASE_URL", "ftp://100.64.0.1");
        env.put("CLF_CATTLE_BOOTSTRAP_TTL_MS", "1000");
        env.put("CLF_CATTLE_LABELS_JSON", "[1]");
        env.put("CLF_CATTLE_AUTO_SHUTDOWN", "maybe");
        env.put("CLF_HCLOUD_API_URL", "hetzner");
        env.put("CLF_CATTLE_DEFAULT_TTL", "2 hours");

        List<String> problems = problems(env);
        for (String name : List.of("CLF_CATTLE_MAX_INSTANCES", "CLF_CATTLE_SECRETS_LISTEN_PORT",
                "CLF_CATTLE_SECRETS_LISTEN_HOST", "CLF_CATTLE_SECRETS_BASE_URL", "CLF_CATTLE_BOOTSTRAP_TTL_MS",
                "CLF_CATTLE_LABELS_JSON", "CLF_CATTLE_AUTO_SHUTDOWN", "CLF_HCLOUD_API_URL", "CLF_CATTLE_DEFAULT_TTL")) {
            assertEquals(1, problems.stream().filter(p -> p.startsWith(name + ":")).count(), name + " in " + problems);
        }
        assertEquals(9, problems.size(), problems.toString());
    }

    @Test
    void wildcardListenHostsAreRefusedInTheConfig() {
        for (String host : List.of("0.0.0.0", "::", "[::]", "0")) {
            Map<String, String> env = complete();
            env.put("CLF_CATTLE_SECRETS_LISTEN_HOST", host);
            assertEquals(List.of("CLF_CATTLE_SECRETS_LISTEN_HOST: refusing the wildcard address '" + host
                    + "' (the secrets listener must not face every network; use auto or an explicit tailnet IP)"),
                    problems(env), host);
        }
    }

    @Test
    void theBootstrapTtlIs30SecondsTo15Minutes() {
        for (String ok : List.of("30000", "900000")) {
            Map<String, String> env = complete();
            env.put("CLF_CATTLE_BOOTSTRAP_TTL_MS", ok);
            assertEquals(Duration.ofMillis(Long.parseLong(ok)), OrchestratorConfig.fromEnv(env).cattle().bootstrapTtl());
        }
        for (String bad : List.of("29999", "900001", "-1", "ten")) {
            Map<String, String> env = complete();
            env.put("CLF_CATTLE_BOOTSTRAP_TTL_MS", bad);
            assertEquals(List.of("CLF_CATTLE_BOOTSTRAP_TTL_MS: an integer from 30000 to 900000, got '" + bad + "'"),
                    problems(env));
        }
    }

    @Test
    void theVmTtlHasAMaximumAndTheDefaultMustFitUnderIt() {
        Map<String, String> env = complete();
        env.put("CLF_CATTLE_MAX_TTL", "4h");
        env.put("CLF_CATTLE_DEFAULT_TTL", "6h");
        assertEquals(List.of("CLF_CATTLE_DEFAULT_TTL: at most CLF_CATTLE_MAX_TTL (4h), got '6h'"), problems(env));

        env.put("CLF_CATTLE_DEFAULT_TTL", "1h");
        assertEquals(Duration.ofHours(4), OrchestratorConfig.fromEnv(env).maxTtl());
    }

    @Test
    void adminKeysComeFromTheFileFirstWithCommentsAndRepeatsDropped() throws Exception {
        Path keys = Files.writeString(dir.resolve("admin_keys"), "# operators\n\n  " + ADMIN_KEY + "  \r\n"
                + "ssh-ed25519 BBBB second\n" + ADMIN_KEY + "\n");
        Map<String, String> env = complete();
        env.put("CLF_ADMIN_AUTHORIZED_KEYS_FILE", keys.toString());
        env.put("CLF_ADMIN_AUTHORIZED_KEYS", "ssh-ed25519 CCCC inline-loses");

        assertEquals(List.of(ADMIN_KEY, "ssh-ed25519 BBBB second"), OrchestratorConfig.fromEnv(env).cattle().adminKeys());
    }

    @Test
    void anUnusableKeysFileIsOneProblemNotTwo() throws Exception {
        Map<String, String> env = complete();
        env.remove("CLF_ADMIN_AUTHORIZED_KEYS");
        env.put("CLF_ADMIN_AUTHORIZED_KEYS_FILE", dir.toString());
        assertEquals(List.of("CLF_ADMIN_AUTHORIZED_KEYS_FILE: a regular file, got '" + dir + "'"), problems(env));

        Path large = Files.writeString(dir.resolve("large"), "#".repeat(64 * 1024 + 1));
        env.put("CLF_ADMIN_AUTHORIZED_KEYS_FILE", large.toString());
        assertEquals(List.of("CLF_ADMIN_AUTHORIZED_KEYS_FILE: at most 65536 bytes, got '" + large + "'"), problems(env));

        env.remove("CLF_ADMIN_AUTHORIZED_KEYS_FILE");
        env.put("CLF_ADMIN_AUTHORIZED_KEYS", ADMIN_KEY + "\n" + "#".repeat(64 * 1024));
        List<String> inline = problems(env);
        assertEquals(1, inline.size(), inline.toString());
        assertTrue(inline.get(0).startsWith("CLF_ADMIN_AUTHORIZED_KEYS: at most 65536 bytes inline"), inline.toString());
    }

    @Test
    void problemsNeverShowSecretValues() {
        Map<String, String> env = complete();
        env.remove("CLF_CATTLE_IMAGE");
        env.put("CLF_CATTLE_MAX_INSTANCES", "many");

        String all = String.join("\n", problems(env));
        assertFalse(all.contains("hcloud-secret-value"), all);
        assertFalse(all.contains("tskey-secret-value"), all);
    }

    @Test
    void peerVerificationIsAutoOnTailscaledsUsualSocketByDefault() {
        CattleConfig cattle = OrchestratorConfig.fromEnv(complete()).cattle();

        assertEquals(VerifyPeer.AUTO, cattle.verifyPeer());
        assertEquals(Path.of("/var/run/tailscale/tailscaled.sock"), cattle.tailscaleSocket());
    }

    @Test
    void verifyPeerTakesAutoRequiredOrOffAndNamesThemWhenWrong() {
        for (String mode : List.of("auto", "off", "OFF", " Auto ")) {
            Map<String, String> env = complete();
            env.put("CLF_CATTLE_VERIFY_PEER", mode);
            assertEquals(mode.strip().toLowerCase(), OrchestratorConfig.fromEnv(env).cattle().verifyPeer().value(), mode);
        }
        for (String bad : List.of("yes", "1", "strict", "require")) {
            Map<String, String> env = complete();
            env.put("CLF_CATTLE_VERIFY_PEER", bad);
            assertEquals(List.of("CLF_CATTLE_VERIFY_PEER: one of auto|required|off, got '" + bad + "'"), problems(env));
        }
    }

    @Test
    void requiredRefusesToStartWithoutTailscaledsSocket() throws Exception {
        Map<String, String> env = complete();
        env.put("CLF_CATTLE_VERIFY_PEER", "required");
        env.put("CLF_TAILSCALE_SOCKET", dir.resolve("tailscaled.sock").toString());
        assertEquals(List.of("CLF_CATTLE_VERIFY_PEER=required: no tailscaled LocalAPI socket at "
                + dir.resolve("tailscaled.sock") + " (is tailscaled running? if it listens elsewhere, set"
                + " CLF_TAILSCALE_SOCKET)"), problems(env));

        Files.writeString(dir.resolve("tailscaled.sock"), "a file is not a socket");
        assertEquals(1, problems(env).size());
        Files.delete(dir.resolve("tailscaled.sock"));

        try (TailscaledDouble tailscaled = TailscaledDouble.start(dir.resolve("tailscaled.sock"))) {
            CattleConfig cattle = OrchestratorConfig.fromEnv(env).cattle();
            assertEquals(VerifyPeer.REQUIRED, cattle.verifyPeer());
            assertEquals(tailscaled.socket(), cattle.tailscaleSocket());
        }
    }

    @Test
    void theTailscaleSocketMustBeAnAbsolutePath() {
        Map<String, String> env = complete();
        env.put("CLF_CATTLE_VERIFY_PEER", "required");
        env.put("CLF_TAILSCALE_SOCKET", "run/tailscaled.sock");

        assertEquals(List.of("CLF_TAILSCALE_SOCKET: an absolute path, got 'run/tailscaled.sock'"), problems(env));
    }
}
