package clf.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The image holds every module we ship, and each has a real descriptor. */
class ModulesIT {

    private static final List<String> EXPECTED = List.of(
            "clf.cli", "clf.server", "clf.queue", "clf.hetzner", "clf.secrets",
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
