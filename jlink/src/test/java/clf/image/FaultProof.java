package clf.image;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The fault proof: the real daemon under SIGKILLs ({@link CrashLoad}) and under Hetzner storms
 * ({@link HetznerStorm}), each ending in a summary of one figure per line and the invariants
 * that held or broke. Exits 0 if every invariant held, 1 if any broke, 2 on bad arguments. Not
 * a test (the ITs {@code CrashLoadIT} and {@code HetznerStormIT} run small versions): run it
 * from the repository root once the image exists ({@code mvn -B -q install -DskipTests}) with
 *
 * <pre>
 * mvn -B -q -pl jlink test-compile exec:java -Dexec.mainClass=clf.image.FaultProof -Dexec.classpathScope=test
 * </pre>
 *
 * Arguments ({@code -Dexec.args="…"}): {@code crash} and/or {@code storm} (default both),
 * {@code --seed N} (default {@value #DEFAULT_SEED}), {@code --cycles N} (default 100),
 * {@code --rate-limit-s N}, {@code --errors-s N}, {@code --timeouts-s N} (storm phases,
 * default 60 each). The seed fixes the load, the kill moments and the storm's bursts; the
 * timing still depends on the machine.
 */
public final class FaultProof {
    static final long DEFAULT_SEED = 20261127L;

    private FaultProof() {
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out));
    }

    static int run(String[] args, PrintStream out) throws Exception {
        boolean crash = false;
        boolean storm = false;
        long seed = DEFAULT_SEED;
        int cycles = 100;
        HetznerStorm.Settings stormSettings = HetznerStorm.Settings.full(seed);
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "crash" -> crash = true;
                    case "storm" -> storm = true;
                    case "--seed" -> seed = Long.parseLong(args[++i]);
                    case "--cycles" -> cycles = positive("--cycles", args[++i]);
                    case "--rate-limit-s" -> stormSettings = stormSettings.withRateLimit(seconds(args[++i]));
                    case "--errors-s" -> stormSettings = stormSettings.withErrors(seconds(args[++i]));
                    case "--timeouts-s" -> stormSettings = stormSettings.withTimeouts(seconds(args[++i]));
                    default -> throw new IllegalArgumentException("unknown argument: " + args[i]);
                }
            }
        } catch (RuntimeException e) {
            out.println("usage: FaultProof [crash] [storm] [--seed N] [--cycles N] [--rate-limit-s N] [--errors-s N]"
                    + " [--timeouts-s N]\n" + e.getMessage());
            return 2;
        }
        if (!crash && !storm) {
            crash = true;
            storm = true;
        }
        stormSettings = stormSettings.withSeed(seed);
        if (System.getProperty("clf.image") == null) {
            // test-classes sits beside the image in jlink/target.
            Path classes = Path.of(FaultProof.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            System.setProperty("clf.image", classes.resolveSibling("clf").toString());
        }
        out.printf("fault proof: seed %d, image %s, %d cores%n", seed, Image.HOME,
                Runtime.getRuntime().availableProcessors());
        List<ProofReport> reports = new ArrayList<>();
        if (crash) {
            CrashLoad.Settings settings = CrashLoad.Settings.full(seed, cycles);
            reports.add(inTempDir("clf-fault-crash", dir -> CrashLoad.run(settings, dir, out)));
        }
        if (storm) {
            HetznerStorm.Settings settings = stormSettings;
            reports.add(inTempDir("clf-fault-storm", dir -> HetznerStorm.run(settings, dir, out)));
        }
        out.println("--- summary (seed " + seed + ")");
        reports.forEach(report -> report.print(out));
        boolean ok = reports.stream().allMatch(ProofReport::ok);
        out.println(ok ? "fault proof: OK" : "fault proof: FAILED");
        return ok ? 0 : 1;
    }

    interface Scenario {
        ProofReport run(Path dir) throws Exception;
    }

    /** Runs in a fresh directory; keeps it (and says where) when an invariant broke. */
    private static ProofReport inTempDir(String prefix, Scenario scenario) throws Exception {
        Path dir = Files.createTempDirectory(prefix);
        ProofReport report = scenario.run(dir);
        if (report.ok()) {
            Trees.delete(dir);
        } else {
            report.figure("state kept in", dir);
        }
        return report;
    }


    private static int positive(String name, String value) {
        int n = Integer.parseInt(value);
        if (n < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, got " + value);
        }
        return n;
    }

    private static Duration seconds(String value) {
        return Duration.ofSeconds(positive("seconds", value));
    }
}
