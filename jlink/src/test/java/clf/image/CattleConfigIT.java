package clf.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.Inet4Address;
import java.net.NetworkInterface;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/clf-orchestrator refuses to start with cattle on (the default) but unusable: it names
 * everything missing or invalid at once, exits 1, and says why on stderr and in its log.
 */
class CattleConfigIT {
    static final String HCLOUD = "hcloud-config-it-value";
    static final String TAILSCALE = "tskey-config-it-value";
    static final String ADMIN_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAtest admin@test";

    @TempDir
    Path dir;

    /** The daemon's state in {@code dir}, cattle left at its default (on), no secret inherited from the build. */
    Map<String, String> base() throws Exception {
        Map<String, String> env = DaemonProcess.env(dir);
        env.remove("CLF_CATTLE_ENABLED");
        CattleRig.SECRET_NAMES.forEach(name -> env.put(name, ""));
        env.put("CLF_IDENTITIES_ROOT", Files.createDirectories(dir.resolve("identities")).toString());
        return env;
    }

    Map<String, String> complete() throws Exception {
        Map<String, String> env = base();
        env.put("HCLOUD_TOKEN", HCLOUD);
        env.put("CLF_CATTLE_IMAGE", "clf-cattle");
        env.put("TAILSCALE_AUTH_KEY", TAILSCALE);
        env.put("CLF_ADMIN_AUTHORIZED_KEYS", ADMIN_KEY);
        return env;
    }

    static Image.Result refused(Map<String, String> env) throws Exception {
        Image.Result result = Image.run(env, "clf-orchestrator");
        assertEquals(1, result.exitCode(), result.toString());
        assertFalse(result.out().contains("clf-orchestrator.ready"), result.toString());
        assertFalse((result.out() + result.err()).contains(HCLOUD), "secret value in output: " + result);
        assertFalse((result.out() + result.err()).contains(TAILSCALE), "secret value in output: " + result);
        return result;
    }

    @Test
    void withNothingSetAllFourRequirementsAreNamed() throws Exception {
        Image.Result result = refused(base());
        for (String name : List.of("HCLOUD_TOKEN", "CLF_CATTLE_IMAGE", "TAILSCALE_AUTH_KEY", "CLF_ADMIN_AUTHORIZED_KEYS")) {
            assertTrue(result.err().contains(name), name + "\n" + result);
        }
    }

    @Test
    void withSomeSetExactlyTheOthersAreNamed() throws Exception {
        Map<String, String> env = base();
        env.put("HCLOUD_TOKEN", HCLOUD);
        env.put("CLF_CATTLE_IMAGE", "clf-cattle");
        Image.Result first = refused(env);
        String missing = first.err().lines().filter(l -> l.contains("these are missing")).findFirst().orElseThrow();
        assertTrue(missing.contains("TAILSCALE_AUTH_KEY") && missing.contains("CLF_ADMIN_AUTHORIZED_KEYS"), missing);
        assertFalse(missing.contains("HCLOUD_TOKEN") || missing.contains("CLF_CATTLE_IMAGE,"), missing);

        env = base();
        env.put("CLF_TAILSCALE_AUTH_KEY", TAILSCALE);
        Path keys = Files.writeString(dir.resolve("admin_keys"), ADMIN_KEY + "\n");
        env.put("CLF_ADMIN_AUTHORIZED_KEYS_FILE", keys.toString());
        Image.Result second = refused(env);
        missing = second.err().lines().filter(l -> l.contains("these are missing")).findFirst().orElseThrow();
        assertTrue(missing.contains("HCLOUD_TOKEN") && missing.contains("CLF_CATTLE_IMAGE"), missing);
        assertFalse(missing.contains("TAILSCALE_AUTH_KEY") || missing.contains("admin SSH keys"), missing);
    }

    @Test
    void everyInvalidCattleVariableIsReportedAtOnce() throws Exception {
        Map<String, String> env = complete();
        env.put("CLF_CATTLE_SECRETS_LISTEN_PORT", "65536");
        env.put("CLF_CATTLE_BOOTSTRAP_TTL_MS", "3600000");
        env.put("CLF_CATTLE_SECRETS_BASE_URL", "100.64.0.1:18337");
        env.put("CLF_CATTLE_MAX_INSTANCES", "none");
        env.put("CLF_CATTLE_SECRETS_LISTEN_HOST", "::");

        Image.Result result = refused(env);
        for (String name : List.of("CLF_CATTLE_SECRETS_LISTEN_PORT", "CLF_CATTLE_BOOTSTRAP_TTL_MS",
                "CLF_CATTLE_SECRETS_BASE_URL", "CLF_CATTLE_MAX_INSTANCES", "CLF_CATTLE_SECRETS_LISTEN_HOST")) {
            assertTrue(result.err().contains("  " + name + ": "), name + "\n" + result);
        }
    }

    @Test
    void wildcardListenAddressesAreRefusedAtStart() throws Exception {
        for (String host : List.of("0.0.0.0", "::", "[::]")) {
            Map<String, String> env = complete();
            env.put("CLF_CATTLE_SECRETS_LISTEN_HOST", host);
            Image.Result result = refused(env);
            assertTrue(result.err().contains("CLF_CATTLE_SECRETS_LISTEN_HOST: refusing the wildcard address '" + host + "'"),
                    result.toString());
        }
    }

    @Test
    void autoWithoutATailnetAddressFailsWithTheReasonInLogAndStderr() throws Exception {
        boolean tailnet = false;
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            tailnet |= nic.getName().equals("tailscale0") || Collections.list(nic.getInetAddresses()).stream()
                    .anyMatch(a -> a instanceof Inet4Address && (a.getAddress()[0] & 0xff) == 100
                            && (a.getAddress()[1] & 0xc0) == 64);
        }
        assumeTrue(!tailnet, "this machine is on a tailnet");

        Image.Result result = refused(complete());
        String reason = "CLF_CATTLE_SECRETS_LISTEN_HOST=auto: no IPv4 address on tailscale0";
        assertTrue(result.err().contains(reason), result.toString());
        assertTrue(result.out().lines().anyMatch(l -> l.contains("ERROR clf-orchestrator.start-failed") && l.contains(reason)),
                "the fatal error is logged with its reason, not hidden: " + result);
    }
}
