package clf.queue;

import clf.queue.postgres.PostgresAddress;
import clf.queue.postgres.PostgresDatabase;
import clf.testing.PostgresCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The shared store's throughput on a private PostgreSQL with durable default settings (fsync
 * and synchronous commit on, {@link PostgresCluster#start}): enqueues with idempotency keys,
 * then claim+ack cycles, by one daemon-like store and by two at once (each its own connection
 * pool and client threads, as two hosts' daemons), in alternating rounds on a fresh database
 * each. Several threads per store, as a daemon serves many bots at once: PostgreSQL commits
 * concurrent transactions together. Run it with the command in the README's "Benchmarks".
 *
 * <p>Arguments: rounds (3), jobs per measurement (20,000), client threads per store (16), and
 * optionally {@code nosync}.
 */
public final class PostgresQueueBenchmark {
    private static final Set<String> KINDS = Set.of("bench.work");

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int jobs = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        System.out.println("load: " + load());
        // A fourth argument "nosync" turns synchronous_commit off: not a figure to quote, a way to
        // tell how much of a run waits for the WAL flush (the disk) rather than for the CPUs.
        Map<String, String> settings = args.length > 3 && args[3].equals("nosync")
                ? Map.of("synchronous_commit", "off") : Map.of();
        try (PostgresCluster cluster = PostgresCluster.start(settings)) {
            System.out.println("PostgreSQL settings: fsync=" + cluster.psql("postgres", "SHOW fsync")
                    + " synchronous_commit=" + cluster.psql("postgres", "SHOW synchronous_commit"));
            for (int round = 1; round <= rounds; round++) {
                // Alternating order, so a drift in the machine's load hits both alike.
                for (int stores : round % 2 == 1 ? List.of(1, 2) : List.of(2, 1)) {
                    measure(cluster, round, stores, jobs, threads);
                }
            }
        }
        System.out.println("load: " + load());
    }

    private static void measure(PostgresCluster cluster, int round, int stores, int jobs, int threads)
            throws Exception {
        PostgresAddress address = PostgresAddress.parse("CLF_DATABASE_URL", cluster.url(cluster.createDatabase()));
        List<PostgresDatabase> databases = new ArrayList<>();
        List<JobStore> hosts = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(stores * threads);
        try {
            for (int s = 0; s < stores; s++) {
                PostgresDatabase database = PostgresDatabase.open(address, cluster.password(), threads + 2,
                        Duration.ofSeconds(10));
                databases.add(database);
                hosts.add(JobStores.openPostgres(database, StoreOptions.defaults()));
            }
            warmUp(hosts);
            AtomicInteger next = new AtomicInteger();
            long start = System.nanoTime();
            run(pool, hosts, threads, (host, worker) -> {
                for (int i = next.getAndIncrement(); i < jobs; i = next.getAndIncrement()) {
                    host.enqueue(NewJob.of("bench.work", "bot" + (i % 16), "{\"task\":" + i + "}")
                            .withIdempotencyKey("msg-" + i));
                }
            });
            double enqueues = jobs / ((System.nanoTime() - start) / 1e9);
            AtomicInteger acked = new AtomicInteger();
            start = System.nanoTime();
            run(pool, hosts, threads, (host, worker) -> {
                for (var job = host.claimNext(worker, KINDS, Duration.ofMinutes(1)); job.isPresent();
                        job = host.claimNext(worker, KINDS, Duration.ofMinutes(1))) {
                    if (host.ack(job.get().id(), worker, "{\"ok\":true}") != Completion.DONE) {
                        throw new AssertionError("ack refused: " + job.get().id());
                    }
                    acked.incrementAndGet();
                }
            });
            double cycles = acked.get() / ((System.nanoTime() - start) / 1e9);
            if (acked.get() != jobs) {
                throw new AssertionError("acked " + acked.get() + " of " + jobs);
            }
            System.out.printf("round %d, %d store%s x %d threads: enqueue %,7.0f /s   claim+ack %,7.0f /s   (%,d jobs)%n",
                    round, stores, stores == 1 ? " " : "s", threads, enqueues, cycles, jobs);
        } finally {
            pool.shutdownNow();
            hosts.forEach(JobStore::close);
            databases.forEach(PostgresDatabase::close);
        }
    }

    /** JIT and connections warm: a few hundred enqueue/claim/ack on each store, not counted. */
    private static void warmUp(List<JobStore> hosts) {
        for (JobStore host : hosts) {
            for (int i = 0; i < 300; i++) {
                host.enqueue(NewJob.of("bench.warm", "warm", "{}").withIdempotencyKey("w" + hosts.indexOf(host) + "-" + i));
                Job job = host.claimNext("warm", Set.of("bench.warm"), Duration.ofMinutes(1)).orElseThrow();
                host.ack(job.id(), "warm", null);
            }
        }
    }

    @FunctionalInterface
    private interface Client {
        void run(JobStore host, String workerId) throws Exception;
    }

    /** {@code threads} clients on each store at once; returns when all are done. */
    private static void run(ExecutorService pool, List<JobStore> hosts, int threads, Client client) throws Exception {
        List<Future<?>> running = new ArrayList<>();
        for (int s = 0; s < hosts.size(); s++) {
            for (int t = 0; t < threads; t++) {
                JobStore host = hosts.get(s);
                String worker = "host" + s + "-w" + t;
                running.add(pool.submit(() -> {
                    client.run(host, worker);
                    return null;
                }));
            }
        }
        for (Future<?> call : running) {
            call.get();
        }
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
