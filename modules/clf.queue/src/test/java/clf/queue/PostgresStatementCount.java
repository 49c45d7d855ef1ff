package clf.queue;

import clf.queue.postgres.PostgresAddress;
import clf.queue.postgres.PostgresDatabase;
import clf.testing.PostgresCluster;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * What each hot operation of the PostgreSQL store sends the server: runs a few hundred enqueues,
 * claims and acks one at a time on a private cluster with {@code pg_stat_statements} and prints
 * the statements per operation, and how often the server planned each anew. Statements marked
 * "nested" run inside another (a foreign key's check) and cost no round trip; a BEGIN rides along
 * with the first statement of its transaction; this server's statistics leave COMMIT out, which
 * is a round trip of its own wherever a BEGIN is listed. The benchmark's companion: it says where
 * the round trips go, {@link PostgresQueueBenchmark} how fast they go.
 *
 * <pre>
 * mvn -B -q -o -pl modules/clf.queue test-compile exec:java \
 *     -Dexec.mainClass=clf.queue.PostgresStatementCount -Dexec.classpathScope=test
 * </pre>
 */
public final class PostgresStatementCount {
    private static final int JOBS = 500;
    private static final Set<String> KINDS = Set.of("bench.work");

    public static void main(String[] args) {
        try (PostgresCluster cluster = PostgresCluster.start(Map.of(
                "shared_preload_libraries", "pg_stat_statements", "pg_stat_statements.track", "all",
                "pg_stat_statements.track_planning", "on"))) {
            String name = cluster.createDatabase();
            cluster.psql(name, "CREATE EXTENSION pg_stat_statements");
            PostgresAddress address = PostgresAddress.parse("CLF_DATABASE_URL", cluster.url(name));
            try (PostgresDatabase database = PostgresDatabase.open(address, cluster.password(), 4, Duration.ofSeconds(10));
                    JobStore store = JobStores.openPostgres(database, StoreOptions.defaults())) {
                String[] ids = new String[JOBS];
                count(cluster, name, "enqueue with an idempotency key", () -> {
                    for (int i = 0; i < JOBS; i++) {
                        ids[i] = store.enqueue(NewJob.of("bench.work", "bot" + (i % 16), "{\"task\":" + i + "}")
                                .withIdempotencyKey("msg-" + i)).jobId();
                    }
                });
                EnqueueRules bot = new EnqueueRules(100_000, 100_000_000, false);
                count(cluster, name, "enqueue with rules (a bot's: quotas, under its requester's lock)", () -> {
                    for (int i = 0; i < JOBS; i++) {
                        store.enqueue(NewJob.of("bench.rules", "bot" + (i % 16), "{\"task\":" + i + "}")
                                .withIdempotencyKey("ruled-" + i), bot);
                    }
                });
                count(cluster, name, "enqueue of a key already stored", () -> {
                    for (int i = 0; i < JOBS; i++) {
                        store.enqueue(NewJob.of("bench.work", "bot" + (i % 16), "{\"task\":" + i + "}")
                                .withIdempotencyKey("msg-" + i));
                    }
                });
                count(cluster, name, "claim", () -> {
                    for (int i = 0; i < JOBS; i++) {
                        // Past the sweep interval now and then, as a busy worker is.
                        ids[i] = store.claimNext("w" + (i % 4), KINDS, Duration.ofMinutes(1)).orElseThrow().id();
                    }
                });
                count(cluster, name, "ack", () -> {
                    for (int i = 0; i < JOBS; i++) {
                        if (store.ack(ids[i], "w" + (i % 4), "{}") != Completion.DONE) {
                            throw new AssertionError("ack refused: " + ids[i]);
                        }
                    }
                });
            }
        }
    }

    private static void count(PostgresCluster cluster, String database, String what, Runnable work) {
        cluster.psql(database, "SELECT pg_stat_statements_reset()");
        long start = System.nanoTime();
        work.run();
        double ms = (System.nanoTime() - start) / 1e6 / JOBS;
        String rows = cluster.psql(database, """
                SELECT round(calls::numeric / %d, 2) || ' x (planned ' || round(plans::numeric / greatest(calls, 1), 2)
                       || ' of the times) ' || CASE WHEN toplevel THEN '' ELSE '(nested) ' END || regexp_replace(left(query, 90), '\\s+', ' ', 'g')
                  FROM pg_stat_statements
                 WHERE query NOT LIKE '%%pg_stat_statements%%' AND calls >= %d
                 ORDER BY calls DESC""".formatted(JOBS, JOBS / 20));
        String total = cluster.psql(database, """
                SELECT round(sum(calls)::numeric / %d, 2) FROM pg_stat_statements
                 WHERE query NOT LIKE '%%pg_stat_statements%%'""".formatted(JOBS));
        System.out.printf("%s: %s statements per call, %.2f ms per call (one thread)%n", what, total, ms);
        rows.lines().forEach(row -> System.out.println("  " + row));
    }
}
