package clf.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * Measures the real daemon over its Unix socket: the image's bin/clf-orchestrator on fresh
 * state, called as root (an operator), by keep-alive clients that each hold one connection and
 * write raw HTTP/1.1. Figures: enqueue (a fresh idempotency key per request, cattle.reap) with
 * 1, 4 and 16 clients, and show (GET /v1/jobs/{id}) with 4 clients, after a warm-up. The clients
 * share the machine's cores with the daemon. Not a test: run it from the repository root, once
 * the image exists ({@code mvn -B -q install -DskipTests}), with
 *
 * <pre>
 * mvn -B -q -pl jlink test-compile exec:java -Dexec.mainClass=clf.image.SocketBenchmark -Dexec.classpathScope=test
 * </pre>
 *
 * Optional: {@code -Dexec.args="SECONDS WARMUP"} (defaults 8 and 4), {@code -Dclf.image=DIR} (an
 * image elsewhere; default jlink/target/clf). CLF_JAVA_OPTS, if set, is passed to the daemon.
 * The image has no jdk.jfr module, so a flight recording needs a JDK with it (see the report).
 */
public final class SocketBenchmark {

    private SocketBenchmark() {}

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        int warmUp = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        if (System.getProperty("clf.image") == null) {
            // test-classes sits beside the image in jlink/target.
            Path classes = Path.of(SocketBenchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            System.setProperty("clf.image", classes.resolveSibling("clf").toString());
        }
        Path dir = Files.createTempDirectory("clf-socket-bench");
        Map<String, String> extra = new HashMap<>();
        for (String name : new String[] {"CLF_JAVA_OPTS", "CLF_WORKER_CONCURRENCY"}) {
            if (System.getenv(name) != null) {
                extra.put(name, System.getenv(name));
            }
        }
        try (DaemonProcess daemon = DaemonProcess.start(dir, extra)) {
            Path socket = daemon.socket();
            System.out.printf("daemon pid %d on %s (image %s), %d cores%n", daemon.pid(), socket, Image.HOME,
                    Runtime.getRuntime().availableProcessors());

            List<String> ids = new ArrayList<>();
            run(socket, 4, warmUp * 1000L / 2, "warm", client -> enqueue("warm-" + client));
            for (int i = 0; i < 2000; i++) {
                UnixHttp.Response response = UnixHttp.call(socket, "POST", "/v1/jobs/enqueue", UnixHttp.reapBody("show-" + i));
                ids.add((String) response.json().get("jobId"));
            }
            run(socket, 4, warmUp * 1000L / 2, "warm", client -> show(ids));

            List<String> lines = new ArrayList<>();
            for (int clients : new int[] {1, 4, 16}) {
                lines.add(run(socket, clients, seconds * 1000L, "enqueue", client -> enqueue("bench-" + clients + "-" + client)));
            }
            lines.add(run(socket, 4, seconds * 1000L, "show", client -> show(ids)));

            daemon.stop();
            System.out.println("--- results (" + seconds + " s per figure; targets: enqueue >= 6,000/s at 16 clients, "
                    + "show >= 9,000/s at 4 clients)");
            lines.forEach(System.out::println);
        } finally {
            Trees.delete(dir);
        }
    }

    /** The next request of one client: its bytes and the status it must get. */
    interface Requests {
        byte[] next();
    }

    private static Requests enqueue(String prefix) {
        AtomicLong n = new AtomicLong();
        return () -> UnixHttp.request("POST", "/v1/jobs/enqueue", UnixHttp.reapBody(prefix + "-" + n.incrementAndGet()))
                .getBytes(StandardCharsets.UTF_8);
    }

    private static Requests show(List<String> ids) {
        return () -> UnixHttp.request("GET", "/v1/jobs/" + ids.get(ThreadLocalRandom.current().nextInt(ids.size())), null)
                .getBytes(StandardCharsets.UTF_8);
    }

    /** {@code clients} threads, each on one keep-alive connection, for {@code millis}; one result line. */
    private static String run(Path socket, int clients, long millis, String name, IntFunction<Requests> requests)
            throws Exception {
        Result result = measure(socket, clients, millis, requests);
        String line = String.format("%-8s %2d clients: %,8.0f req/s  p50 %6.3f ms  p99 %6.3f ms  (%,d requests)%s", name,
                clients, result.perSecond(), result.p50(), result.p99(), result.requests(),
                result.failure() == null ? "" : "  FAILED: " + result.failure());
        System.out.println(line);
        return line;
    }

    /** What one {@link #measure} run did: requests answered 200, over seconds; latencies in ms; the first failure or null. */
    record Result(int requests, double seconds, double p50, double p99, String failure) {
        double perSecond() {
            return requests / seconds;
        }
    }

    /** {@code clients} threads, each on one keep-alive connection, sending {@code requests} for {@code millis}. */
    static Result measure(Path socket, int clients, long millis, IntFunction<Requests> requests) throws Exception {
        long[][] latencies = new long[clients][];
        int[] counts = new int[clients];
        String[] failures = new String[clients];
        CountDownLatch ready = new CountDownLatch(clients);
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        long[] window = new long[2];
        for (int c = 0; c < clients; c++) {
            int client = c;
            Thread thread = new Thread(() -> {
                long[] own = new long[1 << 16];
                int n = 0;
                Requests next = requests.apply(client);
                try (UnixHttp http = UnixHttp.connect(socket)) {
                    ready.countDown();
                    go.await();
                    long end = window[1];
                    while (true) {
                        byte[] request = next.next();
                        long start = System.nanoTime();
                        if (start >= end) {
                            break;
                        }
                        http.write(request);
                        UnixHttp.Response response = http.read();
                        long took = System.nanoTime() - start;
                        if (response == null || response.status() != 200) {
                            failures[client] = "got " + response;
                            break;
                        }
                        if (n == own.length) {
                            own = Arrays.copyOf(own, n * 2);
                        }
                        own[n++] = took;
                    }
                } catch (IOException | InterruptedException e) {
                    failures[client] = e.toString();
                } finally {
                    ready.countDown();
                    latencies[client] = own;
                    counts[client] = n;
                }
            }, "bench-client-" + c);
            threads.add(thread);
            thread.start();
        }
        ready.await();
        window[0] = System.nanoTime();
        window[1] = window[0] + millis * 1_000_000;
        go.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        double seconds = (System.nanoTime() - window[0]) / 1e9;
        int total = Arrays.stream(counts).sum();
        long[] all = new long[total];
        int at = 0;
        for (int c = 0; c < clients; c++) {
            System.arraycopy(latencies[c], 0, all, at, counts[c]);
            at += counts[c];
        }
        Arrays.sort(all);
        String failed = Arrays.stream(failures).filter(f -> f != null).findFirst().orElse(null);
        return new Result(total, seconds, percentile(all, 0.50), percentile(all, 0.99), failed);
    }

    private static double percentile(long[] sorted, double p) {
        return sorted.length == 0 ? Double.NaN : sorted[Math.min(sorted.length - 1, (int) (sorted.length * p))] / 1e6;
    }
}
