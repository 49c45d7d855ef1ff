package clf.image;

import clf.testing.Tmpfs;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The daemon under bad input and a full disk, all figures from one command: scenario A
 * (10,000 generated bad requests on each listener, slow clients beside them, the stores
 * byte-for-byte unchanged; {@link HostileInputRun}), B (64 concurrent redemptions of one token)
 * and C (the state directory on a tmpfs that fills up; {@link FullDiskRun}). The ITs run the
 * same code with fewer requests. Not a test: run it from the repository root, once the image
 * exists, as root (for the tmpfs; without, scenario C uses unshare -Urm or is skipped):
 *
 * <pre>
 * mvn -B -q install -DskipTests &amp;&amp; mvn -B -q -pl jlink test-compile exec:java \
 *     -Dexec.mainClass=clf.image.ReliabilityHarness -Dexec.classpathScope=test
 * </pre>
 *
 * Optional: {@code -Dclf.fuzz.seed=N} (default {@value HostileInputRun#DEFAULT_SEED}; printed,
 * to replay a run), {@code -Dclf.fuzz.requests=N} (per listener, default 10,000), {@code
 * -Dclf.harness.scenarios=AB|C} (default all), {@code -Dclf.image=DIR}. Fails (exit 1) if a
 * check fails, after printing everything.
 */
public final class ReliabilityHarness {

    private ReliabilityHarness() {}

    public static void main(String[] args) throws Exception {
        if (System.getProperty("clf.image") == null) {
            // test-classes sits beside the image in jlink/target.
            Path classes = Path.of(ReliabilityHarness.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            System.setProperty("clf.image", classes.resolveSibling("clf").toString());
        }
        long seed = Long.getLong("clf.fuzz.seed", HostileInputRun.DEFAULT_SEED);
        int requests = Integer.getInteger("clf.fuzz.requests", 10_000);
        String scenarios = System.getProperty("clf.harness.scenarios", "ABC");
        PrintStream out = System.out;
        out.printf("clf reliability harness, %s, %d cores, image %s%n", Instant.now(), Runtime.getRuntime().availableProcessors(),
                Image.HOME);
        Path dir = Files.createTempDirectory("clf-reliability");
        List<String> problems = new ArrayList<>();
        long start = System.nanoTime();
        try {
            if (scenarios.contains("A") || scenarios.contains("B")) {
                HostileInputRun.Result result = HostileInputRun.run(Files.createDirectories(dir.resolve("hostile")), seed,
                        requests, out);
                result.print(out);
                result.problems().forEach(p -> problems.add("A/B: " + p));
            }
            if (scenarios.contains("C")) {
                Tmpfs tmpfs;
                try {
                    tmpfs = Tmpfs.mount(dir.resolve("full/disk"), FullDiskRun.SIZE);
                } catch (Tmpfs.Unavailable e) {
                    tmpfs = null;
                    out.println("Scenario C: SKIPPED: " + e.getMessage());
                }
                if (tmpfs != null) {
                    try (Tmpfs disk = tmpfs) {
                        FullDiskRun.Result result = FullDiskRun.run(dir.resolve("full"), disk, out);
                        result.print(out);
                        result.problems().forEach(p -> problems.add("C: " + p));
                    }
                }
            }
        } finally {
            Trees.delete(dir);
        }
        out.printf("--- %d s in all; %s%n", (System.nanoTime() - start) / 1_000_000_000,
                problems.isEmpty() ? "every check passed" : problems.size() + " checks FAILED:");
        problems.forEach(p -> out.println("  " + p));
        if (!problems.isEmpty()) {
            throw new AssertionError(problems.size() + " checks failed (seed " + seed + ")");
        }
    }

}
