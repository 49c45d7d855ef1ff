package clf.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The image holds every module we ship, and each has a real descriptor. */
class ModulesIT {

    private static final List<String> EXPECTED = List.of(
            "clf.cli", "clf.cattle", "clf.protocol", "clf.server", "clf.queue", "clf.hetzner", "clf.secrets",
            "undertow.core", "xnio.api", "xnio.nio", "wildfly.client.config",
            "org.jboss.logging", "org.jboss.threads", "org.wildfly.common",
            "org.newsclub.net.unix", "com.kohlschutter.junixsocket.nativecommon",
            "org.xerial.sqlitejdbc", "com.fasterxml.jackson.jr.ob", "com.fasterxml.jackson.core",
            "info.picocli", "org.jline.reader", "org.jline.terminal", "org.jline.nativ",
            "jdk.random");

    @Test
    void listModulesHasEveryExpectedModule() throws Exception {
        Image.Result result = Image.run("java", "--list-modules");
        assertEquals(0, result.exitCode(), result.toString());
        Set<String> names = result.outLines().stream()
                .map(line -> line.split("@")[0].trim())
                .collect(Collectors.toSet());
        for (String name : EXPECTED) {
            assertTrue(names.contains(name), name + " missing from\n" + result.out());
        }
    }

    /**
     * What a {@code clf} start resolves, read from the JVM's own module resolution: the protocol
     * and the CLI's libraries, never the daemon, its HTTP server, its store or the Hetzner client.
     */
    @Test
    void theCliResolvesNoModuleOfTheDaemon() throws Exception {
        Set<String> resolved = resolution("clf.cli/clf.cli.Main");
        assertTrue(resolved.containsAll(Set.of("clf.cli", "clf.protocol", "info.picocli")), resolved.toString());
        for (String daemonSide : List.of("clf.server", "clf.queue", "clf.hetzner", "clf.secrets", "undertow.core",
                "xnio.api", "org.xerial.sqlitejdbc", "java.sql", "jdk.httpserver")) {
            assertFalse(resolved.contains(daemonSide), daemonSide + " resolved for the CLI: " + resolved);
        }
    }

    /** The agent on a VM, likewise: the protocol and Jackson jr, nothing of the daemon or the CLI. */
    @Test
    void theAgentResolvesNoModuleOfTheDaemon() throws Exception {
        Set<String> resolved = resolution("clf.cattle/clf.cattle.Main");
        assertTrue(resolved.containsAll(Set.of("clf.cattle", "clf.protocol", "java.net.http", "com.fasterxml.jackson.jr.ob")),
                resolved.toString());
        for (String other : List.of("clf.server", "clf.queue", "clf.hetzner", "clf.secrets", "clf.cli", "undertow.core",
                "xnio.api", "org.xerial.sqlitejdbc", "java.sql", "info.picocli", "org.newsclub.net.unix")) {
            assertFalse(resolved.contains(other), other + " resolved for the agent: " + resolved);
        }
    }

    /** The modules a start of {@code main} resolves, read from the JVM's own module resolution. */
    private static Set<String> resolution(String main) throws Exception {
        Image.Result result = Image.run("java", "--show-module-resolution", "-m", main, "--version");
        assertEquals(0, result.exitCode(), result.toString());
        Set<String> resolved = new TreeSet<>();
        for (String line : result.outLines()) {
            String[] words = line.trim().split("\\s+");
            if (words.length >= 2 && words[0].equals("root")) {
                resolved.add(words[1]);
            } else if (words.length >= 3 && (words[1].equals("requires") || words[1].equals("binds"))) {
                resolved.add(words[0]);
                resolved.add(words[2]);
            }
        }
        return resolved;
    }

    @Test
    void noModuleIsAutomaticAndServicesAreDeclared() throws Exception {
        Image.Result result = Image.run("java", "-cp", Probes.classPath(), "clf.image.probe.ModuleProbe");
        assertEquals(0, result.exitCode(), result.toString());
        List<String> lines = result.outLines();
        assertTrue(lines.size() > EXPECTED.size(), result.toString());
        for (String line : lines) {
            assertTrue(line.endsWith(" explicit"), "automatic module in the image: " + line);
        }
        // jdeps does not see ServiceLoader look-ups: our descriptors must declare them.
        Image.Result uses = Image.run("java", "--describe-module", "xnio.api");
        assertTrue(uses.out().contains("uses org.xnio.XnioProvider"), uses.toString());
        Image.Result provides = Image.run("java", "--describe-module", "xnio.nio");
        assertTrue(provides.out().contains("provides org.xnio.XnioProvider with org.xnio.nio.NioXnioProvider"),
                provides.toString());
    }
}
