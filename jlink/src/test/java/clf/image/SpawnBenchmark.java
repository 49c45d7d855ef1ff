package clf.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How spawns overlap: the image's daemon in dev mode (the in-process Hetzner simulator and
 * simulated VMs), with a simulated boot of 20 s, room for 20 servers and 20 workers. It times
 * one spawn, then 20 enqueued at once, each on a daemon with fresh state, from the first
 * enqueue over the bot socket until every job is {@code done} (its server runs). The older
 * implementation held a process-wide lock across the boot, so 20 spawns took 20 times one. Not
 * a test: run it from the repository root, once the image exists ({@code mvn -B -q install -DskipTests}), with
 *
 * <pre>
 * mvn -B -q -pl jlink exec:java -Dexec.mainClass=clf.image.SpawnBenchmark -Dexec.classpathScope=test
 * </pre>
 *
 * Optional: {@code -Dexec.args="SPAWNS BOOT_MS"} (defaults 20 and 20000).
 */
public final class SpawnBenchmark {

    private SpawnBenchmark() {}

    public static void main(String[] args) throws Exception {
        int spawns = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        long bootMs = args.length > 1 ? Long.parseLong(args[1]) : 20_000;
        if (System.getProperty("clf.image") == null) {
            Path classes = Path.of(SpawnBenchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            System.setProperty("clf.image", classes.resolveSibling("clf").toString());
        }
        Map<String, String> extra = Map.of(
                "CLF_DEV_BOOT_DELAY_MS", Long.toString(bootMs),
                "CLF_CATTLE_MAX_INSTANCES", Integer.toString(spawns),
                "CLF_CATTLE_MAX_PER_REQUESTER", Integer.toString(spawns),
                "CLF_WORKER_CONCURRENCY", Integer.toString(spawns),
                "CLF_WORKER_POLL_MS", "100",
                "CLF_CATTLE_STATUS_POLL_MS", "250");
        System.out.printf("dev mode: simulated boot %d ms, max instances %d, %d workers, %d cores%n", bootMs, spawns,
                spawns, Runtime.getRuntime().availableProcessors());
        long oneMs = onFreshDaemon(extra, 1);
        System.out.printf("1 spawn:   %6d ms%n", oneMs);
        long manyMs = onFreshDaemon(extra, spawns);
        System.out.printf("%d spawns: %6d ms  (%.2f x one spawn; one after another: ~%d ms)%n",
                spawns, manyMs, (double) manyMs / oneMs, spawns * oneMs);
        System.out.println(manyMs < 2 * oneMs ? "OK: under 2x one spawn" : "SLOW: not under 2x one spawn");
    }

    /** Times {@code count} spawns on a daemon with fresh state (all capacity free), then stops it. */
    static long onFreshDaemon(Map<String, String> extra, int count) throws Exception {
        Path dir = Files.createTempDirectory("clf-spawn-bench");
        try (DaemonProcess daemon = DaemonProcess.start(dir, extra)) {
            long ms = timeSpawns(daemon.socket(), count);
            daemon.stop();
            return ms;
        }
    }

    /** Enqueues {@code count} spawns at once and waits until all are done; the wall time in ms. */
    static long timeSpawns(Path socket, int count) throws IOException, InterruptedException {
        long start = System.nanoTime();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(enqueue(socket, "{\"protocolVersion\":1,\"kind\":\"cattle.spawn\",\"requester\":\"bench-" + i
                    + "\",\"idempotencyKey\":\"spawn-" + i + "\",\"payload\":{\"identity\":\"rex\",\"ttl\":\"1h\","
                    + "\"task\":{\"schemaVersion\":1,\"taskId\":\"task-" + i + "\","
                    + "\"type\":\"clawdbot.gateway.agent\",\"message\":\"benchmark\"}}}"));
        }
        for (String id : ids) {
            awaitDone(socket, id);
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    static String enqueue(Path socket, String body) throws IOException {
        UnixHttp.Response response = UnixHttp.call(socket, "POST", "/v1/jobs/enqueue", body);
        if (response.status() != 200 && response.status() != 201) {
            throw new IllegalStateException("enqueue refused: " + response);
        }
        return (String) response.json().get("jobId");
    }

    static void awaitDone(Path socket, String id) throws IOException, InterruptedException {
        while (true) {
            Map<?, ?> job = (Map<?, ?>) UnixHttp.call(socket, "GET", "/v1/jobs/" + id, null).json().get("job");
            String status = (String) job.get("status");
            if ("done".equals(status)) {
                return;
            }
            if (!"queued".equals(status) && !"running".equals(status)) {
                throw new IllegalStateException("job " + id + " ended " + status + ": " + job.get("lastError"));
            }
            Thread.sleep(50);
        }
    }
}
