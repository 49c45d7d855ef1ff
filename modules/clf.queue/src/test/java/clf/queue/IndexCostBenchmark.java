package clf.queue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What the two indexes that metrics read (schema step 2: {@code jobs_ended_by_status_kind},
 * {@code jobs_by_runnable_since}) cost the writes: two stores in one JVM, one with them and one
 * with them dropped, take turns at rounds of enqueue + claim + ack, so that the load of a shared
 * machine falls on both alike. Prints the median round of each. Run it with
 *
 * <pre>
 * mvn -B -q -pl modules/clf.queue test-compile exec:java -Dexec.mainClass=clf.queue.IndexCostBenchmark -Dexec.classpathScope=test
 * </pre>
 */
public final class IndexCostBenchmark {
    private static final Set<String> KINDS = Set.of("bench.work");

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 11;
        int perRound = args.length > 1 ? Integer.parseInt(args[1]) : 5_000;
        Path dir = Files.createTempDirectory("clf-index-bench");
        try (JobStore with = JobStores.openSqlite(dir.resolve("with/state.sqlite"));
             JobStore without = JobStores.openSqlite(dir.resolve("without/state.sqlite"))) {
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("without/state.sqlite"));
                 Statement s = c.createStatement()) {
                s.execute("DROP INDEX jobs_ended_by_status_kind");
                s.execute("DROP INDEX jobs_by_runnable_since");
            }
            round(with, perRound, "warm");
            round(without, perRound, "warm");
            long[] withNanos = new long[rounds];
            long[] withoutNanos = new long[rounds];
            for (int i = 0; i < rounds; i++) {
                withNanos[i] = round(with, perRound, "r" + i);
                withoutNanos[i] = round(without, perRound, "r" + i);
            }
            Arrays.sort(withNanos);
            Arrays.sort(withoutNanos);
            double a = perRound / (withNanos[rounds / 2] / 1e9);
            double b = perRound / (withoutNanos[rounds / 2] / 1e9);
            System.out.printf("enqueue+claim+ack, median of %d rounds of %,d: with the metrics indexes %,.0f /s,"
                    + " without %,.0f /s (%+.1f%%)%n", rounds, perRound, a, b, (a - b) / b * 100);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Enqueues {@code count} jobs with idempotency keys, then claims and acks each; returns the nanoseconds. */
    private static long round(JobStore store, int count, String tag) {
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            store.enqueue(NewJob.of("bench.work", "bot" + (i % 16), "{\"task\":" + i + "}")
                    .withIdempotencyKey(tag + "-" + i));
        }
        for (int i = 0; i < count; i++) {
            Job job = store.claimNext("w1", KINDS, Duration.ofMinutes(1)).orElseThrow();
            store.ack(job.id(), "w1", "{\"ok\":true}");
        }
        return System.nanoTime() - start;
    }
}
