package clf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.server.internal.config.OrchestratorConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * clf-orchestrator(8) cannot drift from the daemon: every environment variable its code names is
 * documented, nothing documented is gone, and each documented default is the one the
 * configuration classes apply.
 */
class OrchestratorPageTest {
    /** A string literal naming an environment variable in the daemon's code or its launcher. */
    private static final Pattern VARIABLE = Pattern.compile(
            "\"?\\b(CLF_[A-Z0-9_]+|[A-Z][A-Z0-9_]*_(?:API_KEY|APIKEY|AUTH_KEY|TOKEN|CLIENT_ID|CLIENT_SECRET)|CREDENTIALS_DIRECTORY|LISTEN_PID|LISTEN_FDS)\\b");
    private static final List<Path> SOURCES = List.of(
            Path.of("modules/clf.server/src/main/java"),
            Path.of("modules/clf.secrets/src/main/java"),
            Path.of("jlink/launchers"));

    /** Enough for a valid configuration with cattle enabled; everything else at its default. */
    private static final Map<String, String> BASE = Map.of(
            "HCLOUD_TOKEN", "test-token",
            "TAILSCALE_AUTH_KEY", "tskey-test",
            "CLF_CATTLE_IMAGE", "test-image",
            "CLF_ADMIN_AUTHORIZED_KEYS", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAITEST test");

    private static Set<String> documented() {
        Set<String> names = new TreeSet<>();
        OrchestratorPage.VARIABLES.forEach(group -> group.variables().forEach(v -> names.add(v.name())));
        return names;
    }

    /** Names in quotes in Java sources, and any $CLF_… in the launchers. */
    private static Set<String> named() throws IOException {
        Set<String> names = new TreeSet<>();
        for (Path source : SOURCES) {
            Path dir = GeneratedDocsTest.REPOSITORY.resolve(source);
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    boolean java = file.toString().endsWith(".java");
                    Matcher matcher = VARIABLE.matcher(Files.readString(file));
                    while (matcher.find()) {
                        if (!java || matcher.group().startsWith("\"")) {
                            names.add(matcher.group(1));
                        }
                    }
                }
            }
        }
        return names;
    }

    @Test
    void documentsEveryVariableTheDaemonReads() throws IOException {
        Set<String> missing = new TreeSet<>(named());
        missing.removeAll(documented());
        assertTrue(missing.isEmpty(), "environment variables the daemon names but clf-orchestrator(8) does not: "
                + missing + "\nAdd them to OrchestratorPage.VARIABLES (modules/clf.cli/src/test/java/clf/cli),"
                + " then run " + GenerateDocs.COMMAND);
    }

    @Test
    void documentsNoVariableTheDaemonNoLongerReads() throws IOException {
        Set<String> stale = new TreeSet<>(documented());
        stale.removeAll(named());
        assertTrue(stale.isEmpty(), "clf-orchestrator(8) documents variables no code reads: " + stale);
    }

    @Test
    void documentedDefaultsAreTheConfigurationsDefaults() {
        OrchestratorConfig defaults = OrchestratorConfig.fromEnv(BASE);
        List<String> wrong = new ArrayList<>();
        for (OrchestratorPage.Group group : OrchestratorPage.VARIABLES) {
            for (OrchestratorPage.Variable variable : group.variables()) {
                if (variable.checked() == null || BASE.containsKey(variable.name())) {
                    continue;
                }
                Map<String, String> env = new HashMap<>(BASE);
                env.put(variable.name(), variable.checked().isEmpty() ? " " : variable.checked());
                try {
                    if (!OrchestratorConfig.fromEnv(env).equals(defaults)) {
                        wrong.add(variable.name() + "=" + variable.checked() + " is not the default");
                    }
                } catch (RuntimeException e) {
                    wrong.add(variable.name() + "=" + variable.checked() + ": " + e.getMessage());
                }
            }
        }
        assertEquals(List.of(), wrong, "defaults in OrchestratorPage.VARIABLES that the daemon does not use");
    }

    @Test
    void aChangedValueIsNoticed() {
        Map<String, String> env = new HashMap<>(BASE);
        env.put("CLF_WORKER_CONCURRENCY", "3");
        assertTrue(!OrchestratorConfig.fromEnv(env).equals(OrchestratorConfig.fromEnv(BASE)),
                "the default check compares whole configurations");
    }
}
