package clf.image;

import clf.queue.Job;
import clf.queue.JobStore;
import clf.queue.JobStores;
import clf.queue.NewJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/**
 * Measures one scrape of the real daemon: {@code GET /metrics} (and {@code /v1/status},
 * {@code /healthz}) over its Unix socket, each on a fresh connection, with 200,000 jobs in the
 * store. The jobs are made as QueueBenchmark makes them: 55,000 enqueued, claimed and acked
 * (done), then 145,000 plain enqueues of a kind the daemon has no handler for, so they stay
 * queued and runnable: a backlog as large as the table allows. Then the image's daemon (dev
 * mode) starts on that store. Not a test: run it from the repository root, once the image
 * exists ({@code mvn -B -q install -DskipTests}), with
 *
 * <pre>
 * mvn -B -q -pl jlink test-compile exec:java -Dexec.mainClass=clf.image.ScrapeBenchmark -Dexec.classpathScope=test
 * </pre>
 *
 * Optional: {@code -Dexec.args="JOBS SCRAPES DONE"} (defaults 200000, 200 and 55000: how many of
 * the jobs are done; {@code 200000 200 200000} is a store of ended jobs only).
 */
public final class ScrapeBenchmark {
    private ScrapeBenchmark() {}

    public static void main(String[] args) throws Exception {
        int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int scrapes = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int done = Math.min(jobs, args.length > 2 ? Integer.parseInt(args[2]) : 55_000);
        if (System.getProperty("clf.image") == null) {
            Path classes = Path.of(ScrapeBenchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            System.setProperty("clf.image", classes.resolveSibling("clf").toString());
        }
        Path dir = Files.createTempDirectory("clf-scrape-bench");
        try {
            long filling = System.nanoTime();
            fill(dir.resolve("state.sqlite"), jobs, done);
            System.out.printf("store filled with %,d jobs (%,d done, %,d queued) in %.1f s%n", jobs, done, jobs - done,
                    (System.nanoTime() - filling) / 1e9);
            try (DaemonProcess daemon = DaemonProcess.start(dir, Map.of())) {
                Path socket = daemon.socket();
                for (int i = 0; i < 50; i++) {
                    UnixHttp.call(socket, "GET", "/metrics", null); // warm-up: JIT and page cache
                }
                String body = UnixHttp.call(socket, "GET", "/metrics", null).bodyText();
                System.out.printf("/metrics: %,d bytes, %d lines; %s%n", body.length(), body.lines().count(),
                        body.lines().filter(l -> l.startsWith("clf_jobs_runnable ")).findFirst().orElse("?"));
                time(socket, "/metrics", scrapes);
                time(socket, "/v1/status", scrapes);
                time(socket, "/healthz", scrapes);
                daemon.stop();
            }
        } finally {
            Trees.delete(dir);
        }
    }

    private static void fill(Path file, int jobs, int done) {
        try (JobStore store = JobStores.openSqlite(file)) {
            for (int i = 0; i < done; i++) {
                store.enqueue(NewJob.of("bench.work", "bot" + (i % 16), "{\"task\":" + i + "}")
                        .withIdempotencyKey("msg-" + i));
                Job job = store.claimNext("filler", Set.of("bench.work"), Duration.ofMinutes(1)).orElseThrow();
                store.ack(job.id(), "filler", "{\"ok\":true}");
            }
            for (int i = done; i < jobs; i++) {
                store.enqueue(NewJob.of("bench.work", "bot" + (i % 16), "{\"task\":" + i + "}"));
            }
        }
    }

    private static void time(Path socket, String path, int scrapes) throws Exception {
        long[] samples = new long[scrapes];
        for (int i = 0; i < scrapes; i++) {
            long start = System.nanoTime();
            UnixHttp.Response response = UnixHttp.call(socket, "GET", path, null);
            samples[i] = System.nanoTime() - start;
            if (response.status() != 200) {
                throw new IllegalStateException(path + " answered " + response);
            }
        }
        Arrays.sort(samples);
        System.out.printf("GET %-11s p50 %6.2f ms  p90 %6.2f ms  p99 %6.2f ms  (%d requests, fresh connection each)%n",
                path, samples[scrapes / 2] / 1e6, samples[scrapes * 9 / 10] / 1e6, samples[scrapes * 99 / 100] / 1e6,
                scrapes);
    }
}
