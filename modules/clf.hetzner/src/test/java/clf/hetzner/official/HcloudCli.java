package clf.hetzner.official;

import clf.testing.HostTool;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Hetzner's CLI, {@code hcloud} (Debian package hcloud-cli), pointed at a simulator with
 * {@code HCLOUD_ENDPOINT} and {@code HCLOUD_TOKEN}, with a config file of its own so that a
 * developer's contexts never leak in. Debian's 1.30.3 says "not built properly" for
 * {@code hcloud version}; the commands work.
 */
final class HcloudCli {
    private final Map<String, String> env;

    HcloudCli(OfficialClientRig rig, Path home) {
        HostTool.require(HostTool.onPath("hcloud"), "hcloud (Debian package hcloud-cli)");
        this.env = Map.of("HCLOUD_ENDPOINT", rig.sim.baseUrl().toString(), "HCLOUD_TOKEN", OfficialClientRig.TOKEN,
                "HCLOUD_CONFIG", home.resolve("cli.toml").toString(), "HOME", home.toString());
    }

    HostTool.Result run(String... args) {
        List<String> command = new ArrayList<>();
        command.add("hcloud");
        command.add("--poll-interval=200ms");
        command.addAll(List.of(args));
        return HostTool.run(env, Duration.ofSeconds(60), command);
    }

    /** Runs and requires exit 0; returns stdout. */
    String ok(String... args) {
        HostTool.Result result = run(args);
        if (result.exitCode() != 0) {
            throw new AssertionError("hcloud " + String.join(" ", args) + " failed: " + result);
        }
        return result.out();
    }
}
