package clf.server.internal.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.protocol.Task;
import clf.secrets.IssuedToken;
import clf.secrets.Secret;
import clf.server.internal.cattle.spawn.CloudInit;
import clf.server.internal.cattle.spawn.Identity;
import clf.server.internal.config.OrchestratorConfig;
import clf.server.internal.log.Log;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code clf-orchestrator --dev}: simulated Hetzner, dummy keys only, and a log that says so. */
class DevModeTest {
    @TempDir
    Path dir;
    final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    final Log log = new Log(new PrintStream(logged, true, StandardCharsets.UTF_8), Clock.systemUTC());

    @Test
    void realKeysInTheCallersEnvironmentNeverReachTheDevDaemon() throws Exception {
        Map<String, String> real = Map.of("HCLOUD_TOKEN", "real-hcloud", "TAILSCALE_AUTH_KEY", "real-tskey",
                "CLF_TAILSCALE_AUTH_KEY", "real-tskey-2", "OPENAI_API_KEY", "real-openai", "OPEN_AI_APIKEY", "real-openai-2",
                "ANTHROPIC_API_KEY", "real-anthropic", "ZAI_API_KEY", "real-zai", "GITHUB_TOKEN", "real-github",
                "CREDENTIALS_DIRECTORY", dir.resolve("creds").toString(), "CLF_CATTLE_SECRETS_LISTEN_HOST", "0.0.0.0");
        try (DevMode dev = DevMode.start(dir.resolve("dev"), real, log)) {
            Map<String, String> env = dev.env();
            for (String value : real.values()) {
                assertFalse(env.containsValue(value), value + " leaked into " + env.keySet());
            }
            assertEquals("127.0.0.1", env.get("CLF_CATTLE_SECRETS_LISTEN_HOST"));
            assertFalse(env.containsKey("CREDENTIALS_DIRECTORY"));
            assertEquals("dev-openai-key-not-a-secret", env.get("OPENAI_API_KEY"));
            assertTrue(OrchestratorConfig.fromEnv(env).cattle() != null, "the dev environment is a valid cattle config");
        }
        String out = logged.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("WARN dev.mode hetzner=\"SIMULATED: no Hetzner account is used"), out);
    }

    @Test
    void aSocketGroupCanPassThroughTheStateDirToTheSocket() throws Exception {
        Path state = dir.resolve("dev");
        try (DevMode plain = DevMode.start(state, Map.of(), log)) {
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(state)));
        }
        String group = Files.readAttributes(dir, PosixFileAttributes.class).group().getName();

        try (DevMode grouped = DevMode.start(state, Map.of("CLF_SOCKET_GROUP", group), log)) {
            assertEquals(state.resolve("orchestrator.sock"), grouped.socketPath());
            // others may enter (to reach the 0660 socket of that group) but not list the directory
            assertEquals("rwx--x--x", PosixFilePermissions.toString(Files.getPosixFilePermissions(state)));
        }
    }

    @Test
    void theStartLineSaysHowToPointHcloudAtTheSimulator() throws Exception {
        try (DevMode dev = DevMode.start(dir.resolve("dev"), Map.of(), log)) {
            String api = dev.env().get("CLF_HCLOUD_API_URL");
            String out = logged.toString(StandardCharsets.UTF_8);
            assertTrue(out.contains("token=" + DevMode.DEV_HCLOUD_TOKEN), out);
            assertTrue(out.contains("HCLOUD_ENDPOINT=" + api + " HCLOUD_TOKEN=" + DevMode.DEV_HCLOUD_TOKEN + " hcloud server list"),
                    out);
        }
    }

    @Test
    void aSocketElsewhereLeavesTheStateDirPrivate() throws Exception {
        Path state = dir.resolve("dev");
        Path socket = dir.resolve("bots").resolve("clf.sock");
        try (DevMode dev = DevMode.start(state, Map.of("CLF_SOCKET_PATH", socket.toString(), "CLF_SOCKET_GROUP", "x"), log)) {
            assertEquals(socket, dev.socketPath());
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(state)));
        }
    }

    @Test
    void spawnsUseTheSimulatorsSeededSnapshotByItsLabelAsProductionWould() throws Exception {
        try (DevMode dev = DevMode.start(dir.resolve("dev"), Map.of(), log)) {
            assertEquals("label:role=clf-cattle", dev.env().get("CLF_CATTLE_IMAGE"));
            assertEquals("cx23", OrchestratorConfig.fromEnv(dev.env()).cattle().serverType());
        }
    }

    @Test
    void theSampleIdentityLoads() throws Exception {
        try (DevMode dev = DevMode.start(dir.resolve("dev"), Map.of(), log)) {
            Identity rex = Identity.load(Path.of(dev.env().get("CLF_IDENTITIES_ROOT")), "rex");
            assertEquals("openai/gpt-4o", rex.model());
        }
    }

    @Test
    void aBadBootDelayIsNamed() {
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> DevMode.start(dir.resolve("dev"), Map.of("CLF_DEV_BOOT_DELAY_MS", "soon"), log));
        assertEquals("CLF_DEV_BOOT_DELAY_MS: an integer from 0 to 600000, got 'soon'", bad.getMessage());
    }

    /** Inside the image (java.home is its root) the VMs run its bin/clf-cattle; on a plain JDK they cannot. */
    @Test
    void theAgentIsTheOneBesideTheRunningJavaAndOnlyIfItCanBeRun() throws Exception {
        Path image = Files.createDirectories(dir.resolve("image/bin"));
        assertEquals(null, SimulatedVms.agentIn(image.getParent()), "no launcher");
        Path launcher = Files.writeString(image.resolve("clf-cattle"), "#!/bin/sh\n");
        assertEquals(null, SimulatedVms.agentIn(image.getParent()), "not executable");
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertEquals(launcher, SimulatedVms.agentIn(image.getParent()));
        assertEquals(null, SimulatedVms.agentIn(Path.of(System.getProperty("java.home"))), "the JDK running this test");
    }

    @Test
    void theSimulatedVmFindsItsTokenEvenWhenTheTaskImitatesTheBootstrapFile() throws Exception {
        String token = "c".repeat(64);
        String sneaky = "x\n  - path: " + CloudInit.BOOTSTRAP_PATH + "\n    content: \"{\\\"token\\\":\\\"fake\\\"}\"";
        String userData = CloudInit.render(new CloudInit.Inputs("cattle-rex-1", List.of("ssh-ed25519 AAAA a"),
                Secret.of("tskey"), new Task("t", sneaky, ""), Map.of(), "http://127.0.0.1:1",
                new IssuedToken(Secret.of(token), Instant.parse("2026-11-27T12:10:00Z")),
                new Identity("rex", "soul", "{}\n", "openai/gpt-4o")));

        assertEquals(Map.of("baseUrl", "http://127.0.0.1:1", "token", token, "expiresAt", "2026-11-27T12:10:00.000Z"),
                SimulatedVms.bootstrapOf(userData));
        assertEquals(List.of(CloudInit.TASK_PATH, CloudInit.TAILSCALE_KEY_PATH, CloudInit.BOOTSTRAP_PATH,
                CloudInit.IDENTITY_DIR + "/SOUL.md", CloudInit.IDENTITY_DIR + "/config.json"),
                List.copyOf(SimulatedVms.filesOf(userData).keySet()), "the task's imitation is not a file");
        assertEquals("r--------", SimulatedVms.filesOf(userData).get(CloudInit.BOOTSTRAP_PATH).mode());
        assertEquals("rw-------", SimulatedVms.filesOf(userData).get(CloudInit.TASK_PATH).mode());
    }
}
