package clf.image;

import clf.testing.HostTool;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every .nix file of the repository parses (Debian's nix-bin; .ci/run installs it). Evaluating
 * the derivation and the module needs nixpkgs, which this machine cannot fetch.
 */
class NixFilesIT {
    static final Path REPO = Image.HOME.getParent().getParent().getParent();

    @Test
    void everyNixFileParses() throws Exception {
        HostTool.require(Files.isExecutable(Path.of("/usr/bin/nix-instantiate")), "nix-instantiate (Debian package nix-bin)");
        List<Path> files;
        try (Stream<Path> walk = Files.walk(REPO.resolve("nix"))) {
            files = walk.filter(path -> path.toString().endsWith(".nix")).sorted().toList();
        }
        assertFalse(files.isEmpty(), "no .nix files under " + REPO.resolve("nix"));
        for (Path file : files) {
            Process parse = new ProcessBuilder("nix-instantiate", "--parse", file.toString())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            String errors = new String(parse.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(parse.waitFor(30, TimeUnit.SECONDS), file + ": nix-instantiate did not finish");
            assertEquals(0, parse.exitValue(), file + " does not parse:\n" + errors);
        }
    }
}
