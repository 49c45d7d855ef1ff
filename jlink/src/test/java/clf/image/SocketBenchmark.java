package clf.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * Measures the real daemon over its Unix socket: the image's bin/clf-orchestrator on fresh
 * state, called as root (an operator), by keep-alive clients that each hold one connection and
 * write raw HTTP/1.1. Figures, after a warm-up: show (GET /v1/jobs/{id}) and list of one
 * requester's 50 (GET /v1/jobs?requester=...) with 1 and 4 clients, enqueue (a fresh
 * idempotency key per request, cattle.reap) with 1, 4 and 16 clients; for each, the daemon's CPU
 * time per request (utime+stime of /proc/PID/stat over the figure's requests). The clients
 * share the machine's cores with the daemon. Not a test: run it from the repository root, once
 * the image exists ({@code mvn -B -q install -DskipTests}), with
 *
 * <pre>
 * mvn -B -q -pl jlink test-compile exec:java -Dexec.mainClass=clf.image.SocketBenchmark -Dexec.classpathScope=test
 * </pre>
 *
 * Optional: {@code -Dexec.args="SECONDS WARMUP ROUNDS"} (defaults 8, 4 and 1), {@code
 * -Dclf.image=DIR} (an image elsewhere; default jlink/target/clf), {@code -Dclf.imageB=DIR} (a
 * second image, say the one before a change: the two run in alternating rounds, a fresh daemon
 * each, and the table gives both medians and the ratios A/B), {@code -Dclf.figures=show,list}
 * (only these figures, say for a profile of one). CLF_JAVA_OPTS, if set, is passed to the daemons. The image has no jdk.jfr module, so a
 * flight recording needs a launcher over a JDK with it.
 */
public final class SocketBenchmark {
    /** Figures in the order they run; each one's name, clients and requests. */
    private record Figure(String name, int clients) {
        String label() {
            return String.format("%-7s %2d clients", name, clients);
        }
    }

    private static final List<Figure> FIGURES = List.of(new Figure("show", 1), new Figure("show", 4),
            new Figure("list", 1), new Figure("list", 4), new Figure("enqueue", 1), new Figure("enqueue", 4),
            new Figure("enqueue", 16)).stream()
            .filter(figure -> System.getProperty("clf.figures", figure.name()).contains(figure.name())).toList();

    /** One figure's outcome in one round. */
    /**
     * What one {@link #measure} run did: requests answered 200 over seconds, latencies in ms, the
     * daemon's CPU per request (NaN when not measured), the first failure or null.
     */
    record Result(int requests, double seconds, double p50, double p99, double cpuMsPerRequest, String failure) {
        double perSecond() {
            return requests / seconds;
        }
    }

    private SocketBenchmark() {}

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        int warmUp = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        if (System.getProperty("clf.image") == null) {
            // test-classes sits beside the image in jlink/target.
            Path classes = Path.of(SocketBenchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            System.setProperty("clf.image", classes.resolveSibling("clf").toString());
        }
        List<Path> images = new ArrayList<>(List.of(Image.HOME));
        if (System.getProperty("clf.imageB") != null) {
            images.add(Path.of(System.getProperty("clf.imageB")).toAbsolutePath());
        }
        Map<String, String> extra = new HashMap<>();
        for (String name : new String[] {"CLF_JAVA_OPTS", "CLF_WORKER_CONCURRENCY"}) {
            if (System.getenv(name) != null) {
                extra.put(name, System.getenv(name));
            }
        }
        List<List<Map<Figure, Result>>> byImage = new ArrayList<>();
        images.forEach(image -> byImage.add(new ArrayList<>()));
        for (int round = 1; round <= rounds; round++) {
            for (int i = 0; i < images.size(); i++) {
                System.out.printf("--- round %d, image %s (%s)%n", round, (char) ('A' + i), images.get(i));
                byImage.get(i).add(oneDaemon(images.get(i), extra, seconds, warmUp));
            }
        }
        System.out.println("--- medians of " + rounds + " round(s), " + seconds + " s per figure; load "
                + Files.readString(Path.of("/proc/loadavg")).strip());
        StringBuilder head = new StringBuilder("| figure |");
        StringBuilder rule = new StringBuilder("|---|");
        for (int i = 0; i < images.size(); i++) {
            char name = (char) ('A' + i);
            head.append(" ").append(name).append(" req/s | ").append(name).append(" p99 ms | ").append(name)
                    .append(" CPU ms/req |");
            rule.append("---|---|---|");
        }
        if (images.size() == 2) {
            head.append(" A/B req/s | A/B CPU |");
            rule.append("---|---|");
        }
        System.out.println(head);
        System.out.println(rule);
        for (Figure figure : FIGURES) {
            StringBuilder line = new StringBuilder("| " + figure.label().replaceAll(" +", " ") + " |");
            double[] rate = new double[images.size()];
            double[] cpu = new double[images.size()];
            for (int i = 0; i < images.size(); i++) {
                List<Result> results = byImage.get(i).stream().map(r -> r.get(figure)).toList();
                rate[i] = median(results.stream().mapToDouble(Result::perSecond).toArray());
                cpu[i] = median(results.stream().mapToDouble(Result::cpuMsPerRequest).toArray());
                line.append(String.format(" %,.0f | %.3f | %.4f |", rate[i],
                        median(results.stream().mapToDouble(Result::p99).toArray()), cpu[i]));
            }
            if (images.size() == 2) {
                line.append(String.format(" %.2f | %.2f |", rate[0] / rate[1], cpu[0] / cpu[1]));
            }
            System.out.println(line);
        }
    }

    /** A fresh daemon of {@code image}: warm-up, then every figure once. */
    private static Map<Figure, Result> oneDaemon(Path image, Map<String, String> extra, int seconds, int warmUp)
            throws Exception {
        Path dir = Files.createTempDirectory("clf-socket-bench");
        Map<String, String> env = DaemonProcess.env(dir);
        env.putAll(extra);
        List<String> command = new ArrayList<>(DaemonProcess.devCommand(dir));
        command.set(0, image.resolve("bin/clf-orchestrator").toString()); // the dev command of this image
        try (DaemonProcess daemon = DaemonProcess.spawn(command, DaemonProcess.socketIn(dir), env)) {
            daemon.awaitReady();
            Path socket = daemon.socket();
            System.out.printf("daemon pid %d on %s, %d cores%n", daemon.pid(), socket,
                    Runtime.getRuntime().availableProcessors());
            List<String> ids = new ArrayList<>();
            run(socket, 4, warmUp * 1000L / 3, "warm", client -> enqueue("warm-" + client), daemon.pid());
            for (int i = 0; i < 2000; i++) {
                UnixHttp.Response response = UnixHttp.call(socket, "POST", "/v1/jobs/enqueue", listedBody("show-" + i));
                ids.add((String) response.json().get("jobId"));
            }
            run(socket, 4, warmUp * 1000L / 3, "warm", client -> show(ids), daemon.pid());
            run(socket, 4, warmUp * 1000L / 3, "warm", client -> list(), daemon.pid());
            Map<Figure, Result> results = new LinkedHashMap<>();
            for (Figure figure : FIGURES) {
                IntFunction<Requests> requests = switch (figure.name()) {
                    case "show" -> client -> show(ids);
                    case "list" -> client -> list();
                    default -> client -> enqueue("bench-" + figure.clients() + "-" + client);
                };
                results.put(figure, run(socket, figure.clients(), seconds * 1000L, figure.name(), requests, daemon.pid()));
            }
            daemon.stop();
            return results;
        } finally {
            Trees.delete(dir);
        }
    }

    /** The requester the listed jobs belong to (an operator may enqueue for anyone). */
    private static final String LISTED = "bench-lister";

    private static String listedBody(String idempotencyKey) {
        return UnixHttp.reapBody(idempotencyKey).replace("{\"protocolVersion\":1,",
                "{\"protocolVersion\":1,\"requester\":\"" + LISTED + "\",");
    }

    private static Requests list() {
        byte[] request = UnixHttp.request("GET", "/v1/jobs?requester=" + LISTED + "&limit=50", null)
                .getBytes(StandardCharsets.UTF_8);
        return () -> request;
    }

    /** utime+stime of a process, in ms (clock ticks of 10 ms on Linux's USER_HZ 100). */
    private static double cpuMs(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10.0;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted.length == 0 ? Double.NaN : sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
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
    private static Result run(Path socket, int clients, long millis, String name, IntFunction<Requests> requests,
            long pid) throws Exception {
        Result result = measure(socket, clients, millis, requests, pid);
        System.out.printf("%-8s %2d clients: %,8.0f req/s  p50 %6.3f ms  p99 %6.3f ms  CPU %.4f ms/req  (%,d requests)%s%n",
                name, clients, result.perSecond(), result.p50(), result.p99(), result.cpuMsPerRequest(), result.requests(),
                result.failure() == null ? "" : "  FAILED: " + result.failure());
        return result;
    }

    /** As {@link #measure(Path, int, long, IntFunction, long)}, without the daemon's CPU. */
    static Result measure(Path socket, int clients, long millis, IntFunction<Requests> requests) throws Exception {
        return measure(socket, clients, millis, requests, -1);
    }

    /**
     * {@code clients} threads, each on one keep-alive connection, sending {@code requests} for
     * {@code millis}; the CPU the process {@code pid} spent meanwhile (none when {@code pid < 0}).
     */
    static Result measure(Path socket, int clients, long millis, IntFunction<Requests> requests, long pid)
            throws Exception {
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
        double cpuBefore = pid < 0 ? 0 : cpuMs(pid);
        window[0] = System.nanoTime();
        window[1] = window[0] + millis * 1_000_000;
        go.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        double seconds = (System.nanoTime() - window[0]) / 1e9;
        double cpu = pid < 0 ? Double.NaN : cpuMs(pid) - cpuBefore;
        int total = Arrays.stream(counts).sum();
        long[] all = new long[total];
        int at = 0;
        for (int c = 0; c < clients; c++) {
            System.arraycopy(latencies[c], 0, all, at, counts[c]);
            at += counts[c];
        }
        Arrays.sort(all);
        String failed = Arrays.stream(failures).filter(f -> f != null).findFirst().orElse(null);
        return new Result(total, seconds, percentile(all, 0.50), percentile(all, 0.99), total == 0 ? Double.NaN : cpu / total,
                failed);
    }

    private static double percentile(long[] sorted, double p) {
        return sorted.length == 0 ? Double.NaN : sorted[Math.min(sorted.length - 1, (int) (sorted.length * p))] / 1e6;
    }
}
