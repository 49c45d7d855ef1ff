package clf.queue;

import clf.queue.postgres.PostgresAddress;
import clf.queue.postgres.PostgresDatabase;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One daemon of {@link PostgresQueueBenchmark}, in a JVM of its own as a host's orchestrator is:
 * its own connection pool and store (listening for every host's enqueues, as a daemon's workers
 * do), {@code THREADS} client threads. Steps on the parent's word (stdin), answering on stdout:
 * {@code ready} after warming up; {@code enqueue} → enqueues jobs {@code FROM} to {@code TO}
 * (keyed {@code msg-I}), answers {@code enqueued CPU_NANOS}; {@code claim} → claims and acks until
 * nothing is due, answers {@code acked COUNT CPU_NANOS}; {@code exit}. CPU is this process's, JIT
 * and GC included.
 *
 * <p>Arguments: URL FROM TO THREADS NAME RULES CONNECTIONS; the password in {@code CLF_BENCH_PASSWORD}.
 * With RULES {@code rules}, enqueues as the bot API does for a bot: {@link #BOT_RULES}, the daemon's
 * default quotas, checked under the requester's lock (and 128 requesters, so none reaches them).
 */
public final class PostgresBenchmarkDaemon {
    static final Set<String> KINDS = Set.of("bench.work");
    /** The daemon's default limits of a bot: 100 active jobs, 4 MiB of queued payload. */
    static final EnqueueRules BOT_RULES = new EnqueueRules(100, 4 * 1024 * 1024, false);

    public static void main(String[] args) throws Exception {
        PostgresAddress address = PostgresAddress.parse("CLF_DATABASE_URL", args[0]);
        int from = Integer.parseInt(args[1]);
        int to = Integer.parseInt(args[2]);
        int threads = Integer.parseInt(args[3]);
        String name = args[4];
        boolean ruled = args[5].equals("rules");
        int connections = Integer.parseInt(args[6]);
        EnqueueRules rules = ruled ? BOT_RULES : EnqueueRules.NONE;
        int requesters = ruled ? 128 : 16;
        BufferedReader parent = new BufferedReader(new InputStreamReader(System.in));
        try (PostgresDatabase database = PostgresDatabase.open(address, System.getenv("CLF_BENCH_PASSWORD"),
                connections, Duration.ofSeconds(10));
                JobStore store = JobStores.openPostgres(database, StoreOptions.defaults())) {
            store.onEnqueued(() -> { });
            warmUp(store, threads, name);
            System.out.println("ready");
            expect(parent, "enqueue");
            long cpu = cpuNanos();
            AtomicInteger next = new AtomicInteger(from);
            parallel(threads, name, worker -> {
                for (int i = next.getAndIncrement(); i < to; i = next.getAndIncrement()) {
                    store.enqueue(NewJob.of("bench.work", "bot" + (i % requesters), "{\"task\":" + i + "}")
                            .withIdempotencyKey("msg-" + i), rules);
                }
            });
            System.out.println("enqueued " + (cpuNanos() - cpu));
            expect(parent, "claim");
            cpu = cpuNanos();
            AtomicInteger acked = new AtomicInteger();
            parallel(threads, name, worker -> acked.addAndGet(claimAck(store, worker, KINDS, Integer.MAX_VALUE)));
            System.out.println("acked " + acked.get() + " " + (cpuNanos() - cpu));
            expect(parent, "exit");
        }
    }

    /** JIT and connections warm: each thread enqueues, claims and acks a few hundred jobs of a kind of this daemon's. */
    private static void warmUp(JobStore store, int threads, String name) throws Exception {
        Set<String> warm = Set.of("bench.warm." + name);
        parallel(threads, name, worker -> {
            for (int i = 0; i < 200; i++) {
                store.enqueue(NewJob.of("bench.warm." + name, "warm", "{}").withIdempotencyKey(worker + "-" + i));
                claimAck(store, worker, warm, 1);
            }
        });
    }

    /** Claims and acks up to {@code most} jobs, fewer when nothing is due; how many. */
    private static int claimAck(JobStore store, String worker, Set<String> kinds, int most) {
        int done = 0;
        while (done < most) {
            var job = store.claimNext(worker, kinds, Duration.ofMinutes(1));
            if (job.isEmpty()) {
                break;
            }
            if (store.ack(job.get().id(), worker, "{\"ok\":true}") != Completion.DONE) {
                throw new AssertionError("ack refused: " + job.get().id());
            }
            done++;
        }
        return done;
    }

    @FunctionalInterface
    private interface Client {
        void run(String workerId) throws Exception;
    }

    private static void parallel(int threads, String name, Client client) throws Exception {
        List<Thread> running = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String worker = name + "-w" + t;
            Thread thread = new Thread(() -> {
                try {
                    client.run(worker);
                } catch (Throwable e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            });
            running.add(thread);
            thread.start();
        }
        for (Thread thread : running) {
            thread.join();
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("a client thread failed", failures.get(0));
        }
    }

    private static void expect(BufferedReader parent, String word) throws IOException {
        String line = parent.readLine();
        if (!word.equals(line)) {
            throw new IllegalStateException("expected " + word + " from the benchmark, got " + line);
        }
    }

    private static long cpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos();
    }
}
