package clf.image;

import clf.hetzner.sim.HetznerSimulator;
import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.stream.Stream;

/**
 * The image's daemon side by side with another implementation of protocol v1 (say, the original
 * TypeScript one), both driven by the same protocol-only client ({@link SocketBenchmark#measure}:
 * keep-alive connections writing raw HTTP/1.1 over the Unix socket), in alternating rounds on one
 * machine, medians of the rounds. Run through {@code jlink/bench-versus.sh}, which documents the
 * arguments; this class reads them from the environment:
 *
 * <ul>
 *   <li>{@code VERSUS_OTHER}: a shell command that execs the other daemon (its pid must be the
 *       daemon's, as /proc is read for CPU and memory); it gets CLF_DB_PATH and CLF_SOCKET_PATH.
 *       Unset: ours alone.
 *   <li>{@code VERSUS_OTHER_SHOW} / {@code VERSUS_OTHER_VERSION}: the other CLI's show command
 *       ({@code {id}} is replaced by a job id) and version command, for hyperfine.
 *   <li>{@code VERSUS_ROUNDS} (3), {@code VERSUS_SECONDS} (5 per figure), {@code VERSUS_JOBS}
 *       (200000), {@code VERSUS_IDLE_SECONDS} (60), {@code VERSUS_ONLY} (a comma-separated subset
 *       of {@code empty,full,cli}; {@code starts} alone or {@code starts,full}: start times only,
 *       {@code VERSUS_STARTS} (15) times; {@code curve}: enqueues per half second after the start,
 *       as many times), {@code VERSUS_FILL_DIR} (keep each implementation's filled
 *       store there and reuse it in later runs; delete {@code DIR/ours-200000} after a change to
 *       our daemon, since the fill's VmHWM is kept with it).
 * </ul>
 *
 * Each round starts every daemon twice: on an empty store (start time, then the first 3 s of
 * enqueues, warmed enqueues, shows) and on a copy of its own 200,000-job store (start time,
 * enqueue, lists, memory after the load run). Each implementation fills its 200,000-job store
 * once, through its own socket, by enqueue requests only (16 clients, 16 requesters, runAt 300
 * days ahead, so no job runs); the stopped daemon's files are the template every round copies.
 * Ours runs as in production (no {@code --dev}), cattle on, against a Hetzner simulator in this
 * benchmark's process ({@link CattleHost#cattleEnv}): the daemon's start, memory and idle CPU
 * include the round trips to a separate Hetzner and nothing of the simulator itself.
 */
public final class VersusBenchmark {
    private static final String REQUESTERS = "bot";
    private static final int SHOW_IDS = 2000;

    private VersusBenchmark() {}

    /** One implementation: how to start its daemon in a directory, with what added to its environment. */
    private record Impl(String name, Starter starter, Map<String, String> env) {}

    private interface Starter {
        List<String> command(Path dir);
    }

    /** The figures of one round of one implementation, by row name. */
    private static final class Figures extends LinkedHashMap<String, Double> {}

    public static void main(String[] args) throws Exception {
        if (System.getProperty("clf.image") == null) {
            Path classes = Path.of(VersusBenchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            System.setProperty("clf.image", classes.resolveSibling("clf").toString());
        }
        int rounds = intEnv("VERSUS_ROUNDS", 3);
        int seconds = intEnv("VERSUS_SECONDS", 5);
        int jobs = intEnv("VERSUS_JOBS", 200_000);
        int idleSeconds = intEnv("VERSUS_IDLE_SECONDS", 60);
        String only = System.getenv().getOrDefault("VERSUS_ONLY", "empty,full,cli");
        String other = System.getenv("VERSUS_OTHER");

        Path work = Files.createTempDirectory("clf-versus");
        // Hetzner for our daemon: a simulator in this process, as a real one is in another.
        HetznerSimulator hetzner = HetznerSimulator.start();
        hetzner.requireToken(CattleHost.HCLOUD_TOKEN);
        Path identities = Files.createDirectories(work.resolve("identities"));
        List<Impl> impls = new ArrayList<>();
        impls.add(new Impl("ours", dir -> List.of(Image.bin("clf-orchestrator").toString()),
                CattleHost.cattleEnv(hetzner, identities)));
        if (other != null && !other.isBlank()) {
            impls.add(new Impl("other", dir -> List.of("/bin/sh", "-c", "exec " + other), Map.of()));
        }
        System.out.printf("image %s; other: %s; %d rounds, %d s per figure, %,d jobs; %d cores; load %s%n", Image.HOME,
                other == null ? "none" : other, rounds, seconds, jobs, Runtime.getRuntime().availableProcessors(), load());
        try {
            Map<String, Path> templates = new LinkedHashMap<>();
            Map<String, Double> fillMemory = new LinkedHashMap<>();
            if (only.contains("full")) {
                String kept = System.getenv("VERSUS_FILL_DIR");
                for (Impl impl : impls) {
                    Path template = (kept == null || kept.isBlank() ? work : Path.of(kept)).resolve(impl.name() + "-" + jobs);
                    Path hwm = template.resolve("fill-vmhwm");
                    if (Files.exists(hwm)) {
                        System.out.printf("%s: reusing the store filled earlier in %s%n", impl.name(), template);
                    } else {
                        Trees.delete(template);
                        Files.writeString(hwm, Double.toString(fill(impl, template, jobs)));
                    }
                    fillMemory.put(impl.name(), Double.parseDouble(Files.readString(hwm)));
                    templates.put(impl.name(), template);
                }
            }
            Map<String, List<Figures>> results = new LinkedHashMap<>();
            impls.forEach(impl -> results.put(impl.name(), new ArrayList<>()));
            if (only.contains("starts") || only.contains("curve")) {
                rounds = intEnv("VERSUS_STARTS", 15);
            }
            for (int round = 0; round < rounds; round++) {
                List<Impl> order = new ArrayList<>(impls);
                if (round % 2 == 1) {
                    java.util.Collections.reverse(order);
                }
                for (Impl impl : order) {
                    Figures figures = new Figures();
                    if (only.contains("starts")) {
                        figures.putAll(starts(impl, templates.get(impl.name()), work.resolve(impl.name() + "-s" + round)));
                    }
                    if (only.contains("curve")) {
                        figures.putAll(curve(impl, work.resolve(impl.name() + "-c" + round)));
                    }
                    if (only.contains("empty")) {
                        figures.putAll(emptyStore(impl, work.resolve(impl.name() + "-e" + round), seconds));
                    }
                    if (only.contains("full") && !only.contains("starts")) {
                        figures.put("VmHWM after the 200k fill (MiB)", fillMemory.get(impl.name()));
                        figures.putAll(fullStore(impl, templates.get(impl.name()), work.resolve(impl.name() + "-f" + round), seconds));
                    }
                    System.out.printf("round %d %-5s %s  (load %s)%n", round + 1, impl.name(), figures, load());
                    results.get(impl.name()).add(figures);
                }
            }
            Map<String, Map<String, Double>> cli = only.contains("cli") ? cliAndIdle(impls, work, idleSeconds) : Map.of();
            print(impls, results, cli);
            System.out.println("load average at the end: " + load());
        } finally {
            hetzner.close();
            Trees.delete(work);
        }
    }

    // ---- the daemons

    /** A started daemon: its process, socket and how long it took to answer /healthz. */
    private record Running(Process process, Path socket, double startMillis) implements AutoCloseable {
        long pid() {
            return process.pid();
        }

        /** SIGTERM, then SIGKILL if it has not ended after 30 s. */
        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    private static Running start(Impl impl, Path dir) throws IOException, InterruptedException {
        Path run = dir.resolve("run");
        Files.createDirectories(run);
        Files.setPosixFilePermissions(run, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Path socket = DaemonProcess.socketIn(dir);
        ProcessBuilder builder = new ProcessBuilder(impl.starter().command(dir))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("daemon.log").toFile()));
        builder.environment().keySet().removeIf(name -> name.startsWith("CLF_") || name.startsWith("LISTEN_"));
        builder.environment().put("CLF_DB_PATH", dir.resolve("state.sqlite").toString());
        builder.environment().put("CLF_SOCKET_PATH", socket.toString());
        builder.environment().put("CLF_SHUTDOWN_GRACE_MS", "2000");
        builder.environment().putAll(impl.env());
        if (impl.name().equals("ours") && System.getenv("CLF_JAVA_OPTS") != null) {
            builder.environment().put("CLF_JAVA_OPTS", System.getenv("CLF_JAVA_OPTS"));
        }
        long started = System.nanoTime();
        Process process = builder.start();
        long deadline = started + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                if (UnixHttp.call(socket, "GET", "/healthz", null).status() == 200) {
                    break;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly().waitFor();
                throw new IllegalStateException(impl.name() + " did not answer /healthz: "
                        + Files.readString(dir.resolve("daemon.log")));
            }
            Thread.sleep(1);
        }
        return new Running(process, socket, (System.nanoTime() - started) / 1e6);
    }

    /**
     * Start times alone ({@code VERSUS_ONLY=starts}, or {@code starts,full} for the 200k store
     * too): each of {@code VERSUS_STARTS} (15) rounds starts each daemon on an empty store and
     * stops it once it answers; a quick loop for work on the start path.
     */
    private static Figures starts(Impl impl, Path template, Path dir) throws Exception {
        Figures f = new Figures();
        try (Running daemon = start(impl, dir.resolve("empty"))) {
            f.put("start → /healthz, empty store (ms)", daemon.startMillis());
        }
        if (template != null) {
            copy(template, dir.resolve("full"));
            try (Running daemon = start(impl, dir.resolve("full"))) {
                f.put("start → /healthz, 200k store (ms)", daemon.startMillis());
            }
        }
        Trees.delete(dir);
        return f;
    }

    /**
     * How enqueues (4 clients) climb after the start ({@code VERSUS_ONLY=curve}): each half
     * second of the first 6 s, then the warmed rate after 3 s more; where the first 3 s lose.
     */
    private static Figures curve(Impl impl, Path dir) throws Exception {
        Figures f = new Figures();
        try (Running daemon = start(impl, dir)) {
            for (int slice = 0; slice < 12; slice++) {
                f.put(String.format(Locale.ROOT, "enqueue %.1f-%.1f s (req/s)", slice / 2.0, (slice + 1) / 2.0),
                        SocketBenchmark.measure(daemon.socket(), 4, 500, enqueue("c" + slice)).perSecond());
            }
            SocketBenchmark.measure(daemon.socket(), 4, 3000, enqueue("warm"));
            f.put("enqueue warmed (req/s)", SocketBenchmark.measure(daemon.socket(), 4, 3000, enqueue("warmed")).perSecond());
        }
        Trees.delete(dir);
        return f;
    }

    /** Start time on an empty store, the first 3 s of enqueues against warmed ones, 16-client enqueues, shows. */
    private static Figures emptyStore(Impl impl, Path dir, int seconds) throws Exception {
        Figures f = new Figures();
        try (Running daemon = start(impl, dir)) {
            f.put("start → /healthz, empty store (ms)", daemon.startMillis());
            double first = SocketBenchmark.measure(daemon.socket(), 4, 3000, enqueue("first")).perSecond();
            SocketBenchmark.measure(daemon.socket(), 4, 3000, enqueue("warm"));
            double warmed = SocketBenchmark.measure(daemon.socket(), 4, 3000, enqueue("warmed")).perSecond();
            f.put("enqueue, first 3 s after start, 4 clients (req/s)", first);
            f.put("enqueue, warmed, 4 clients (req/s)", warmed);
            SocketBenchmark.Result e16 = check(SocketBenchmark.measure(daemon.socket(), 16, seconds * 1000L, enqueue("e16")));
            f.put("enqueue, 16 clients (req/s)", e16.perSecond());
            f.put("enqueue, 16 clients, p99 (ms)", e16.p99());
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < SHOW_IDS; i++) {
                ids.add((String) UnixHttp.call(daemon.socket(), "POST", "/v1/jobs/enqueue", body("bench", "ids-" + i))
                        .json().get("jobId"));
            }
            SocketBenchmark.measure(daemon.socket(), 4, 2000, show(ids));
            f.put("show by id, 1 client (req/s)", check(SocketBenchmark.measure(daemon.socket(), 1, seconds * 1000L, show(ids))).perSecond());
            long cpu = cpuTicks(daemon.pid());
            SocketBenchmark.Result show4 = check(SocketBenchmark.measure(daemon.socket(), 4, seconds * 1000L, show(ids)));
            f.put("show by id, 4 clients (req/s)", show4.perSecond());
            f.put("daemon CPU per show, 4 clients (ms)", (cpuTicks(daemon.pid()) - cpu) * 1000.0 / ticksPerSecond() / show4.requests());
            f.put("VmHWM after the empty-store run (MiB)", vmHwm(daemon.pid()));
        }
        return f;
    }

    /** Start time on a copy of the filled store, then enqueue and lists at that size; memory after. */
    private static Figures fullStore(Impl impl, Path template, Path dir, int seconds) throws Exception {
        copy(template, dir);
        Figures f = new Figures();
        try (Running daemon = start(impl, dir)) {
            f.put("start → /healthz, 200k store (ms)", daemon.startMillis());
            SocketBenchmark.measure(daemon.socket(), 1, 1000, enqueue("warm"));
            SocketBenchmark.measure(daemon.socket(), 1, 1000, get("/v1/jobs?limit=50"));
            SocketBenchmark.measure(daemon.socket(), 1, 1000, get("/v1/jobs?requester=" + REQUESTERS + "3&limit=50"));
            f.put("enqueue, 1 client, 200k store (req/s)",
                    check(SocketBenchmark.measure(daemon.socket(), 1, seconds * 1000L, enqueue("e1"))).perSecond());
            f.put("unfiltered list of 50, 200k store (req/s)",
                    check(SocketBenchmark.measure(daemon.socket(), 1, seconds * 1000L, get("/v1/jobs?limit=50"))).perSecond());
            f.put("one requester's list of 50, 200k store (req/s)", check(SocketBenchmark.measure(daemon.socket(), 1,
                    seconds * 1000L, get("/v1/jobs?requester=" + REQUESTERS + "3&limit=50"))).perSecond());
            f.put("VmHWM after 200k store + load run (MiB)", vmHwm(daemon.pid()));
        }
        return f;
    }

    /** Fills a fresh store through the daemon's socket; its files become the template. Returns VmHWM after the fill. */
    private static double fill(Impl impl, Path dir, int jobs) throws Exception {
        long began = System.nanoTime();
        try (Running daemon = start(impl, dir)) {
            int clients = 16;
            AtomicLong next = new AtomicLong();
            List<Thread> threads = new ArrayList<>();
            String[] failure = new String[1];
            for (int c = 0; c < clients; c++) {
                Thread thread = new Thread(() -> {
                    try (UnixHttp http = UnixHttp.connect(daemon.socket())) {
                        for (long i; (i = next.getAndIncrement()) < jobs; ) {
                            http.write(UnixHttp.request("POST", "/v1/jobs/enqueue", body(REQUESTERS + (i % 16), "fill-" + i))
                                    .getBytes(StandardCharsets.UTF_8));
                            UnixHttp.Response response = http.read();
                            if (response == null || response.status() != 200) {
                                throw new IOException("fill: got " + response);
                            }
                        }
                    } catch (IOException e) {
                        failure[0] = e.toString();
                    }
                });
                threads.add(thread);
                thread.start();
            }
            for (Thread thread : threads) {
                thread.join();
            }
            if (failure[0] != null) {
                throw new IllegalStateException(impl.name() + ": " + failure[0]);
            }
            double hwm = vmHwm(daemon.pid());
            System.out.printf("%s: filled %,d jobs in %.0f s, VmHWM %.0f MiB%n", impl.name(), jobs,
                    (System.nanoTime() - began) / 1e9, hwm);
            return hwm;
        }
    }

    /** Both CLIs (hyperfine, against their own daemons on small stores), then both daemons idle. */
    private static Map<String, Map<String, Double>> cliAndIdle(List<Impl> impls, Path work, int idleSeconds) throws Exception {
        Map<String, Map<String, Double>> figures = new LinkedHashMap<>();
        List<Running> daemons = new ArrayList<>();
        try {
            List<String> commands = new ArrayList<>();
            Map<String, String> commandOwner = new LinkedHashMap<>();
            for (Impl impl : impls) {
                Running daemon = start(impl, work.resolve(impl.name() + "-cli"));
                daemons.add(daemon);
                figures.put(impl.name(), new LinkedHashMap<>());
                String id = (String) UnixHttp.call(daemon.socket(), "POST", "/v1/jobs/enqueue", body("bench", "cli"))
                        .json().get("jobId");
                String show;
                String version;
                if (impl.name().equals("ours")) {
                    show = Image.bin("clf") + " jobs show " + id + " --json";
                    version = Image.bin("clf") + " --version";
                } else {
                    show = System.getenv("VERSUS_OTHER_SHOW");
                    version = System.getenv("VERSUS_OTHER_VERSION");
                }
                // hyperfine -N runs without a shell, so the socket goes in through env(1).
                String env = "env CLF_SOCKET_PATH=" + daemon.socket() + " ";
                if (show != null && !show.isBlank()) {
                    commandOwner.put(env + show.replace("{id}", id), impl.name() + "|clf jobs show --json, whole process (ms)");
                }
                if (version != null && !version.isBlank()) {
                    commandOwner.put(env + version, impl.name() + "|clf --version, whole process (ms)");
                }
            }
            commands.addAll(commandOwner.keySet());
            Path json = work.resolve("cli.json");
            List<String> hyperfine = new ArrayList<>(List.of("hyperfine", "-N", "-i", "--warmup", "5", "--runs", "40",
                    "--export-json", json.toString()));
            hyperfine.addAll(commands);
            Process process = new ProcessBuilder(hyperfine).inheritIO().start();
            if (process.waitFor() != 0) {
                throw new IllegalStateException("hyperfine failed");
            }
            for (Object entry : (List<?>) JSON.std.mapFrom(Files.readString(json)).get("results")) {
                Map<?, ?> result = (Map<?, ?>) entry;
                String[] owner = commandOwner.get((String) result.get("command")).split("\\|", 2);
                figures.get(owner[0]).put(owner[1], ((Number) result.get("median")).doubleValue() * 1000);
            }
            // Idle: both daemons at once, after a settling pause, nothing asked of them.
            Thread.sleep(5_000);
            long[] before = new long[daemons.size()];
            for (int i = 0; i < daemons.size(); i++) {
                before[i] = cpuTicks(daemons.get(i).pid());
            }
            Thread.sleep(idleSeconds * 1000L);
            for (int i = 0; i < daemons.size(); i++) {
                double ms = (cpuTicks(daemons.get(i).pid()) - before[i]) * 1000.0 / ticksPerSecond();
                figures.get(impls.get(i).name()).put("idle CPU per 10 s, over " + idleSeconds + " s (ms)", ms * 10 / idleSeconds);
            }
        } finally {
            for (Running daemon : daemons) {
                daemon.close();
            }
        }
        return figures;
    }

    // ---- requests

    private static String body(String requester, String key) {
        return "{\"protocolVersion\":1,\"requester\":\"" + requester + "\",\"idempotencyKey\":\"" + key
                + "\",\"kind\":\"cattle.reap\",\"payload\":{\"dryRun\":true},\"runAt\":\"" + UnixHttp.LATER + "\"}";
    }

    private static IntFunction<SocketBenchmark.Requests> enqueue(String prefix) {
        String run = prefix + "-" + System.nanoTime();
        return client -> {
            AtomicLong n = new AtomicLong();
            return () -> UnixHttp.request("POST", "/v1/jobs/enqueue", body("bench", run + "-" + client + "-" + n.incrementAndGet()))
                    .getBytes(StandardCharsets.UTF_8);
        };
    }

    private static IntFunction<SocketBenchmark.Requests> show(List<String> ids) {
        return client -> () -> UnixHttp.request("GET", "/v1/jobs/" + ids.get(ThreadLocalRandom.current().nextInt(ids.size())), null)
                .getBytes(StandardCharsets.UTF_8);
    }

    private static IntFunction<SocketBenchmark.Requests> get(String target) {
        byte[] request = UnixHttp.request("GET", target, null).getBytes(StandardCharsets.UTF_8);
        return client -> () -> request;
    }

    private static SocketBenchmark.Result check(SocketBenchmark.Result result) {
        if (result.failure() != null) {
            throw new IllegalStateException("a request failed: " + result.failure());
        }
        return result;
    }

    // ---- /proc

    /** utime + stime of the whole process, in clock ticks. */
    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // fields 14 and 15 of stat(5)
    }

    private static long ticksPerSecond() {
        return 100; // USER_HZ: 100 on every Linux build this runs on (getconf CLK_TCK)
    }

    private static double vmHwm(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        throw new IOException("no VmHWM for " + pid);
    }

    private static String load() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "?";
        }
    }

    // ---- output

    private static void print(List<Impl> impls, Map<String, List<Figures>> results, Map<String, Map<String, Double>> cli) {
        List<String> rows = new ArrayList<>();
        for (List<Figures> rounds : results.values()) {
            rounds.forEach(r -> r.keySet().forEach(k -> {
                if (!rows.contains(k)) {
                    rows.add(k);
                }
            }));
        }
        cli.values().forEach(m -> m.keySet().forEach(k -> {
            if (!rows.contains(k)) {
                rows.add(k);
            }
        }));
        StringBuilder header = new StringBuilder("| figure |");
        StringBuilder rule = new StringBuilder("|---|");
        for (Impl impl : impls) {
            header.append(' ').append(impl.name()).append(" |");
            rule.append("---|");
        }
        if (impls.size() > 1) {
            header.append(" ours / other |");
            rule.append("---|");
        }
        System.out.println();
        System.out.println("Medians of the rounds (figures of each round in brackets):");
        System.out.println(header);
        System.out.println(rule);
        for (String row : rows) {
            StringBuilder line = new StringBuilder("| ").append(row).append(" |");
            double[] medians = new double[impls.size()];
            for (int i = 0; i < impls.size(); i++) {
                String name = impls.get(i).name();
                double[] values = results.get(name).stream().map(f -> f.get(row)).filter(v -> v != null)
                        .mapToDouble(Double::doubleValue).toArray();
                if (values.length == 0 && cli.containsKey(name) && cli.get(name).containsKey(row)) {
                    values = new double[] {cli.get(name).get(row)};
                }
                medians[i] = median(values);
                line.append(' ').append(format(medians[i]));
                if (values.length > 1) {
                    line.append(" [").append(String.join(", ", Arrays.stream(values).mapToObj(VersusBenchmark::format).toList()))
                            .append(']');
                }
                line.append(" |");
            }
            if (impls.size() > 1) {
                double ratio = medians[0] / medians[1];
                line.append(' ').append(Double.isNaN(ratio) || Double.isInfinite(ratio) ? "–" : String.format(Locale.ROOT, "%.2f×", ratio))
                        .append(" |");
            }
            System.out.println(line);
        }
    }

    private static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static String format(double value) {
        if (Double.isNaN(value)) {
            return "–";
        }
        return value >= 100 ? String.format(Locale.ROOT, "%,.0f", value)
                : value >= 1 ? String.format(Locale.ROOT, "%.1f", value) : String.format(Locale.ROOT, "%.3f", value);
    }

    // ---- files and settings

    /** Copies the regular files under {@code from} (the store, its WAL if any; never a socket) to {@code to}. */
    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else if (Files.isRegularFile(file) && !Set.of("daemon.log", "fill-vmhwm").contains(file.getFileName().toString())) {
                    Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private static int intEnv(String name, int fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : Integer.parseInt(value.strip());
    }
}
