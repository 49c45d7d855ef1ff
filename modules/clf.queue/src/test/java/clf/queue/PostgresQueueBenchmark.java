package clf.queue;

import clf.testing.PostgresCluster;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The shared store's throughput on a private PostgreSQL with durable default settings (fsync
 * and synchronous commit on, {@link PostgresCluster#start}): enqueues with idempotency keys,
 * then claim+ack cycles, by one daemon and by two at once, each daemon a JVM of its own
 * ({@link PostgresBenchmarkDaemon}: its own connection pool and client threads, as two hosts'
 * orchestrators), in alternating rounds on a fresh database each. Several threads per daemon, as
 * a daemon serves many bots at once: PostgreSQL commits concurrent transactions together. Besides
 * the rates it prints the CPU each job cost the daemons' JVMs and the server's processes, and
 * how idle the machine stayed, so a change can be judged on a machine others share. Run it with
 * the command in the README's "Benchmarks".
 *
 * <p>Arguments: rounds (3), jobs per measurement (20,000), client threads per daemon (16), and
 * optionally {@code nosync} (synchronous_commit off) and {@code rules} (enqueue as a bot, with
 * the daemon's default quotas: {@link PostgresBenchmarkDaemon#BOT_RULES}) and {@code
 * connections=N} (each daemon's pool; by default 8, the daemon's own default, {@code
 * CLF_DATABASE_CONNECTIONS}: a daemon here holds what a daemon holds, and its client threads
 * wait for a connection as the daemon's workers and requests do).
 */
public final class PostgresQueueBenchmark {
    /** clf.server's DatabaseConfig.DEFAULT_CONNECTIONS (clf.queue cannot read clf.server). */
    private static final int DAEMON_DEFAULT_CONNECTIONS = 8;

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int jobs = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        System.out.println("load: " + load());
        // A fourth argument "nosync" turns synchronous_commit off: not a figure to quote, a way to
        // tell how much of a run waits for the WAL flush (the disk) rather than for the CPUs.
        List<String> flags = List.of(args).subList(Math.min(3, args.length), args.length);
        Map<String, String> settings = flags.contains("nosync") ? Map.of("synchronous_commit", "off") : Map.of();
        boolean rules = flags.contains("rules");
        int connections = flags.stream().filter(flag -> flag.startsWith("connections=")).findFirst()
                .map(flag -> Integer.parseInt(flag.substring("connections=".length()))).orElse(DAEMON_DEFAULT_CONNECTIONS);
        System.out.println("connections per daemon: " + connections);
        System.out.println(rules ? "enqueues as a bot's: quotas under the requester's lock" : "enqueues without rules");
        try (PostgresCluster cluster = PostgresCluster.start(settings)) {
            System.out.println("PostgreSQL settings: fsync=" + cluster.psql("postgres", "SHOW fsync")
                    + " synchronous_commit=" + cluster.psql("postgres", "SHOW synchronous_commit"));
            for (int round = 1; round <= rounds; round++) {
                // Alternating order, so a drift in the machine's load hits both alike.
                for (int daemons : round % 2 == 1 ? List.of(1, 2) : List.of(2, 1)) {
                    measure(cluster, round, daemons, jobs, threads, rules, connections);
                }
            }
        }
        System.out.println("load: " + load());
    }

    private static void measure(PostgresCluster cluster, int round, int daemons, int jobs, int threads,
            boolean rules, int connections) throws Exception {
        String url = cluster.url(cluster.createDatabase());
        List<Daemon> started = new ArrayList<>();
        try {
            for (int d = 0; d < daemons; d++) {
                started.add(Daemon.start(cluster, url, jobs * d / daemons, jobs * (d + 1) / daemons, threads, "host" + d,
                        rules, connections));
            }
            for (Daemon daemon : started) {
                daemon.expect("ready");
            }
            Phase enqueue = Phase.run(cluster, started, "enqueue");
            Phase claim = Phase.run(cluster, started, "claim");
            long acked = claim.counted();
            if (acked != jobs) {
                throw new AssertionError("acked " + acked + " of " + jobs);
            }
            System.out.printf("round %d, %d daemon%s x %d threads: enqueue %,6.0f /s %s   claim+ack %,6.0f /s %s%n",
                    round, daemons, daemons == 1 ? " " : "s", threads, enqueue.rate(jobs), enqueue.cost(jobs),
                    claim.rate(jobs), claim.cost(jobs));
            for (Daemon daemon : started) {
                daemon.say("exit");
            }
        } finally {
            for (Daemon daemon : started) {
                daemon.stop();
            }
        }
    }

    /** A daemon's JVM and its stdin/stdout. */
    private record Daemon(Process process, BufferedReader out, PrintWriter in) {
        static Daemon start(PostgresCluster cluster, String url, int from, int to, int threads, String name,
                boolean rules, int connections) throws IOException {
            Process process = ChildJvm.start(PostgresBenchmarkDaemon.class, List.of(), List.of(url,
                    Integer.toString(from), Integer.toString(to), Integer.toString(threads), name, rules ? "rules" : "-",
                    Integer.toString(connections)),
                    Map.of("CLF_BENCH_PASSWORD", cluster.password()));
            return new Daemon(process, process.inputReader(), new PrintWriter(process.outputWriter(), true));
        }

        String expect(String word) throws IOException {
            String line = out.readLine();
            if (line == null || !line.startsWith(word)) {
                throw new IllegalStateException("daemon said " + line + ", expected " + word);
            }
            return line;
        }

        void say(String word) {
            in.println(word);
        }

        void stop() throws InterruptedException {
            in.close();
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /** One step of every daemon at once: its wall time and what it cost the CPUs. */
    private record Phase(long nanos, long clientCpu, long serverCpu, double idle, long counted) {
        static Phase run(PostgresCluster cluster, List<Daemon> daemons, String step) throws IOException {
            long server = BenchmarkCpu.serverNanos(cluster);
            long[] machine = BenchmarkCpu.machine();
            long start = System.nanoTime();
            for (Daemon daemon : daemons) {
                daemon.say(step);
            }
            long client = 0;
            long counted = 0;
            for (Daemon daemon : daemons) {
                String[] answer = daemon.expect(step.equals("enqueue") ? "enqueued" : "acked").split(" ");
                client += Long.parseLong(answer[answer.length - 1]);
                counted += answer.length > 2 ? Long.parseLong(answer[1]) : 0;
            }
            long nanos = System.nanoTime() - start;
            return new Phase(nanos, client, BenchmarkCpu.serverNanos(cluster) - server, BenchmarkCpu.idleSince(machine), counted);
        }

        double rate(int jobs) {
            return jobs / (nanos / 1e9);
        }

        String cost(int jobs) {
            return String.format("(CPU per job: daemons %.3f ms, server %.3f ms; idle %.0f %%)",
                    clientCpu / 1e6 / jobs, serverCpu / 1e6 / jobs, idle * 100);
        }
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
