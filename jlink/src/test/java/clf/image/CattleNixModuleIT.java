package clf.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.testing.HostTool;
import com.fasterxml.jackson.jr.ob.JSON;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * nix/modules/clf-cattle.nix and nix/examples/cattle-image.nix evaluated by
 * nix/tests/eval-cattle-module.nix (a stand-in of nixpkgs' module system: nixpkgs cannot be
 * fetched here), and the tailnet join script the module makes, run against a tailscale(1) double.
 */
class CattleNixModuleIT {
    static final Path EVAL = NixFilesIT.REPO.resolve("nix/tests/eval-cattle-module.nix");

    @TempDir
    Path dir;

    @BeforeEach
    void nixInstalled() {
        HostTool.require(HostTool.onPath("nix-instantiate"), "nix-instantiate (Debian package nix-bin)");
    }

    static HostTool.Result evaluate(String settings, String... args) {
        List<String> command = new ArrayList<>(List.of("nix-instantiate", "--eval", "--strict", "--json", EVAL.toString(),
                "--arg", "settings", settings));
        command.addAll(List.of(args));
        return HostTool.run(Map.of(), Duration.ofSeconds(60), command);
    }

    static Map<String, Object> evaluated(String settings, String... args) throws Exception {
        HostTool.Result eval = evaluate(settings, args);
        assertEquals(0, eval.exitCode(), "does not evaluate:\n" + eval);
        return JSON.std.mapFrom(eval.out());
    }

    @SuppressWarnings("unchecked")
    static String unit(Map<String, Object> evaluated, String name) {
        return (String) ((Map<String, Object>) evaluated.get("units")).get(name);
    }

    static List<String> lines(String unit, String key) {
        return unit.lines().filter(line -> line.startsWith(key + "=")).map(line -> line.substring(key.length() + 1)).toList();
    }

    @Test
    void theAgentIsAHardenedOneshotAfterCloudInitAndTheTailnet() throws Exception {
        Map<String, Object> module = evaluated("{ services.clfCattle.taskCommand = \"/opt/task\"; }",
                "--argstr", "package", "/nix/store/x-clf");
        assertEquals(List.of(), module.get("failedAssertions"));
        String agent = unit(module, "clf-cattle.service");
        assertEquals(List.of("oneshot"), lines(agent, "Type"));
        assertEquals(List.of("/nix/store/x-clf/bin/clf-cattle"), lines(agent, "ExecStart"));
        List<String> after = lines(agent, "After");
        List<String> wants = lines(agent, "Wants");
        for (String unit : List.of("network-online.target", "cloud-final.service", "tailscaled.service")) {
            assertTrue(after.contains(unit) && wants.contains(unit), unit + " in After and Wants:\n" + agent);
        }
        assertTrue(agent.contains("Environment=\"CLF_CATTLE_TASK_COMMAND=/opt/task\"")
                && agent.contains("Environment=\"CLF_CATTLE_AUTO_SHUTDOWN=1\""), agent);
        // Every variable the unit sets is one the image's agent reads (its --help lists them).
        String agentHelp = Image.run("clf-cattle", "--help").out();
        java.util.regex.Matcher set = java.util.regex.Pattern.compile("Environment=\"(CLF_CATTLE_[A-Z_]+)=").matcher(agent);
        int variables = 0;
        while (set.find()) {
            variables++;
            assertTrue(agentHelp.contains(set.group(1)), set.group(1) + " is not read by bin/clf-cattle:\n" + agentHelp);
        }
        assertEquals(4, variables, agent);
        // Root (cloud-init's files are root's), but on a read-only system without capabilities.
        assertEquals(List.of("root"), lines(agent, "User"));
        assertEquals(List.of(), lines(agent, "DynamicUser"));
        for (String setting : List.of("ProtectSystem=strict", "PrivateTmp=true", "NoNewPrivileges=true",
                "CapabilityBoundingSet=", "RuntimeDirectory=clf-cattle", "RuntimeDirectoryMode=0700", "UMask=0077",
                "TimeoutStartSec=infinity")) {
            assertTrue(agent.lines().anyMatch(setting::equals), setting + ":\n" + agent);
        }
        assertEquals(List.of("/var/lib/clawdlets", "/run/clawdlets"), lines(agent, "ReadWritePaths"));
        assertEquals(List.of(), lines(agent, "MemoryDenyWriteExecute"), "the JIT needs W+X pages");
        assertEquals(List.of("multi-user.target"), lines(agent, "WantedBy"));

        String join = unit(module, "tailscaled-autoconnect.service");
        assertEquals(List.of("/run/secrets/tailscale_auth_key"), lines(join, "ConditionPathExists"));
        assertFalse(lines(join, "After").contains("cloud-final.service"),
                "cloud-init's runcmd restarts it from inside cloud-final: that ordering would deadlock\n" + join);
        @SuppressWarnings("unchecked")
        Map<String, Object> tailscale = (Map<String, Object>) module.get("tailscale");
        assertEquals(true, tailscale.get("enable"));
        assertEquals(List.of("--state=mem:"), tailscale.get("extraDaemonFlags"), "an ephemeral node by default");
        assertEquals(true, module.get("cloudInit"));
    }

    @Test
    void whatIsWrongIsNamed() throws Exception {
        Map<String, Object> broken = evaluated("{ services.clfCattle.taskCommand = \"\"; "
                + "services.tailscale.authKeyFile = \"/run/secrets/k\"; }");
        assertEquals(List.of("services.clfCattle.taskCommand must name the task to run.",
                "services.clfCattle joins the tailnet itself (tailscaled-autoconnect, with /run/secrets/tailscale_auth_key);"
                        + " leave services.tailscale.authKeyFile unset."), broken.get("failedAssertions"));

        HostTool.Result typo = evaluate("{ services.clfCattle.autoShutdown = \"yes\"; }");
        assertNotEquals(0, typo.exitCode());
        assertTrue(typo.err().contains("The option `services.clfCattle.autoShutdown' is not of type `boolean'"), typo.err());
        HostTool.Result range = evaluate("{ services.clfCattle.timeoutMarginSec = 7200; }");
        assertTrue(range.err().contains("`services.clfCattle.timeoutMarginSec' is not of type `integer between 0 and 3600"),
                range.err());

        Map<String, Object> off = evaluated("{ services.clfCattle.enable = false; }");
        assertEquals(Map.of(), off.get("units"), "disabled: no units");
    }

    @Test
    void theExampleImageEvaluatesWithNothingPublicButTailscale() throws Exception {
        Map<String, Object> example = evaluated("{ }", "--arg", "example", "true");
        assertEquals(List.of(), example.get("failedAssertions"));
        assertTrue(unit(example, "clf-cattle.service").contains("CLF_CATTLE_TASK_COMMAND=/nix/store/eval-only-sample-task"),
                unit(example, "clf-cattle.service"));
        assertEquals(Map.of("enable", true, "allowedTCPPorts", List.of(), "interfaces",
                Map.of("tailscale0", Map.of("allowedTCPPorts", List.of(22)))), example.get("firewall"));
        assertEquals(Map.of("name", "clf-cattle-image", "format", "raw", "partitionTableType", "legacy", "label", "nixos"),
                example.get("image"));
    }

    /**
     * The join script as systemd would run it, with a tailscale(1) double that records its
     * arguments: the key goes as file:PATH (never its value on a command line), the host name
     * is the server's, and a node already Running is left alone (its key is single-use).
     */
    @Test
    void theJoinScriptHandsTheKeyAsAFileAndNamesTheNodeAfterTheHost() throws Exception {
        HostTool.require(HostTool.onPath("jq"), "jq");
        Path tailscale = Files.createDirectories(dir.resolve("tailscale/bin"));
        Path jq = Files.createDirectories(dir.resolve("jq/bin"));
        Files.copy(Path.of(HostTool.run(Map.of(), Duration.ofSeconds(5), List.of("sh", "-c", "command -v jq")).out().strip()),
                jq.resolve("jq"), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        Path calls = dir.resolve("calls");
        Path script = tailscale.resolve("tailscale");
        Files.writeString(script, """
                #!/bin/sh
                echo "$*" >> "%s"
                [ "$1" = status ] && printf '{"BackendState":"%%s"}' "$(cat "%s")"
                exit 0
                """.formatted(calls, dir.resolve("state")));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));

        Map<String, Object> module = evaluated("{ services.clfCattle.tailnet.extraUpFlags = [ \"--accept-dns=false\" ]; }",
                "--argstr", "tailscale", dir.resolve("tailscale").toString(), "--argstr", "jq", dir.resolve("jq").toString());
        Path join = Files.writeString(dir.resolve("join.sh"), (String) module.get("joinScript"));
        String hostname = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();

        Files.writeString(dir.resolve("state"), "NeedsLogin");
        HostTool.Result first = HostTool.run(Map.of(), Duration.ofSeconds(30), List.of("bash", join.toString()));
        assertEquals(0, first.exitCode(), first.toString());
        assertEquals(List.of("status --json --peers=false",
                "up --auth-key file:/run/secrets/tailscale_auth_key --hostname " + hostname + " --accept-dns=false"),
                Files.readAllLines(calls));

        Files.delete(calls);
        Files.writeString(dir.resolve("state"), "Running");
        HostTool.Result again = HostTool.run(Map.of(), Duration.ofSeconds(30), List.of("bash", join.toString()));
        assertEquals(0, again.exitCode(), again.toString());
        assertEquals(List.of("status --json --peers=false"), Files.readAllLines(calls), "no second up with a used key");
    }
}
