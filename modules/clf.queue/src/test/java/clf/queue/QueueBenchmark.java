package clf.queue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;

/**
 * Measures the queue in-process on a real file: enqueue with idempotency keys, claim+ack cycles,
 * then, with 200,000 jobs of 1,000 requesters in the table, claim+ack cycles again and list and
 * stats latency. Run it with the command in the README's
 * "Benchmarks" section; it prints one line per figure.
 */
public final class QueueBenchmark {
    private static final Set<String> KINDS = Set.of("bench.work");
    private static final int WARM_UP = 5_000;
    private static final int REQUESTERS = 1_000;

    public static void main(String[] args) throws Exception {
        int tableSize = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        Path dir = Files.createTempDirectory("clf-queue-bench");
        try (JobStore store = JobStores.openSqlite(dir.resolve("state.sqlite"))) {
            warmUp(store);
            int enqueues = 50_000;
            long start = System.nanoTime();
            for (int i = 0; i < enqueues; i++) {
                store.enqueue(NewJob.of("bench.work", "bot" + (i % 16), "{\"task\":" + i + "}")
                        .withIdempotencyKey("msg-" + i));
            }
            report("enqueue (idempotency key, 1 thread)", enqueues, System.nanoTime() - start);

            int cycles = 50_000;
            start = System.nanoTime();
            for (int i = 0; i < cycles; i++) {
                Job job = store.claimNext("w1", KINDS, Duration.ofMinutes(1)).orElseThrow();
                store.ack(job.id(), "w1", "{\"ok\":true}");
            }
            report("claim+ack cycles (1 thread)", cycles, System.nanoTime() - start);

            fill(store, WARM_UP + enqueues, tableSize);
            System.out.printf("table holds %,d jobs of %,d requesters%n", tableSize, REQUESTERS);
            int bigCycles = 20_000;
            start = System.nanoTime();
            for (int i = 0; i < bigCycles; i++) {
                Job job = store.claimNext("w1", KINDS, Duration.ofMinutes(1)).orElseThrow();
                store.ack(job.id(), "w1", "{\"ok\":true}");
            }
            report("claim+ack at 200k jobs, 1k requesters", bigCycles, System.nanoTime() - start);
            latency(store, "list unfiltered, limit 50", JobQuery.all());
            latency(store, "list one requester, limit 50", JobQuery.all().forRequester("bot3"));
            latency(store, "list status=queued, limit 50", JobQuery.all().withStatuses(Set.of(JobStatus.QUEUED)));
            String someId = store.list(JobQuery.all().withLimit(1)).jobs().get(0).id();
            long[] gets = new long[2000];
            for (int i = 0; i < gets.length; i++) {
                long t = System.nanoTime();
                store.get(someId);
                gets[i] = System.nanoTime() - t;
            }
            printLatency("get by id", gets);
            long[] stats = new long[200];
            for (int i = 0; i < stats.length; i++) {
                long t = System.nanoTime();
                store.stats();
                stats[i] = System.nanoTime() - t;
            }
            printLatency("stats (metrics: counts, runnable, oldest)", stats);
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void warmUp(JobStore store) {
        for (int i = 0; i < WARM_UP; i++) {
            store.enqueue(NewJob.of("bench.work", "warm", "{}").withIdempotencyKey("w" + i));
            Job job = store.claimNext("warm", KINDS, Duration.ofMinutes(1)).orElseThrow();
            store.ack(job.id(), "warm", null);
            store.list(JobQuery.all());
        }
    }

    /** Tops the table up to {@code tableSize} queued jobs of {@link #REQUESTERS} requesters with plain enqueues. */
    private static void fill(JobStore store, int alreadyStored, int tableSize) {
        for (int i = alreadyStored; i < tableSize; i++) {
            store.enqueue(NewJob.of("bench.work", "bot" + (i % REQUESTERS), "{\"task\":" + i + "}"));
        }
    }

    private static void latency(JobStore store, String what, JobQuery query) {
        long[] samples = new long[2000];
        for (int i = 0; i < samples.length; i++) {
            long t = System.nanoTime();
            store.list(query);
            samples[i] = System.nanoTime() - t;
        }
        printLatency(what, samples);
    }

    private static void printLatency(String what, long[] samples) {
        Arrays.sort(samples);
        System.out.printf("%-40s p50 %.3f ms  p99 %.3f ms%n", what,
                samples[samples.length / 2] / 1e6, samples[samples.length * 99 / 100] / 1e6);
    }

    private static void report(String what, int count, long nanos) {
        System.out.printf("%-40s %,10.0f /s  (%,d in %.2f s)%n", what, count / (nanos / 1e9), count, nanos / 1e9);
    }
}
