package clf.queue.internal.postgres;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.queue.JobQuery;
import clf.queue.JobStatus;
import clf.queue.JobStore;
import clf.queue.StoreEngine;
import clf.queue.TestStores;
import clf.queue.internal.Cancels;
import clf.queue.internal.EnqueueChecks;
import clf.queue.internal.Leases;
import clf.queue.internal.ListPlan;
import clf.queue.internal.Reads;
import clf.queue.postgres.PostgresDatabase;
import clf.queue.sql.Session;
import clf.queue.sql.SqlEngine;
import clf.testing.SettableClock;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plans PostgreSQL picks for the hot statements with 100,000 jobs of 1,000 requesters in the
 * table (most of them ended, as in a running fleet): each reads an index, none the whole table.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresQueryPlanTest {
    PostgresDatabase database;

    @BeforeAll
    void fill(@TempDir Path dir) throws Exception {
        try (JobStore store = StoreEngine.POSTGRESQL.open(dir, TestStores.options(new SettableClock(TestStores.T0)))) {
            store.ping(); // the schema
        }
        StoreEngine.POSTGRESQL.execute(dir, """
                INSERT INTO jobs (job_id, kind, requester, payload_json, idempotency_key, status, priority, run_at,
                                  created_at, updated_at, attempt, max_attempts, locked_by, lease_until, turn, payload_bytes)
                SELECT md5(i::text), 'k' || (i % 5), 'bot' || (i % 1000), '{}', 'key' || i,
                       CASE WHEN i % 10 = 0 THEN 'queued' WHEN i % 97 = 0 THEN 'running' ELSE 'done' END,
                       0, i, i, i, 1, 3,
                       CASE WHEN i % 97 = 0 AND i % 10 <> 0 THEN 'w' || i END,
                       CASE WHEN i % 97 = 0 AND i % 10 <> 0 THEN i END, i, 2
                  FROM generate_series(1, 100000) AS i""");
        StoreEngine.POSTGRESQL.execute(dir, "ANALYZE");
        database = StoreEngine.database(dir, 1, Duration.ofSeconds(10));
    }

    @AfterAll
    void close() {
        if (database != null) {
            database.close();
        }
    }

    @Test
    void claimsSeekTheDueIndexPerKind() throws Exception {
        String plan = plan(Claims.claimSql(2), session -> {
            PreparedStatement claim = session.prepare("EXPLAIN " + Claims.claimSql(2));
            Session.bind(claim, "k1", "k2", 50_000L, "w", 1L, 1L, 1);
            return claim;
        });
        assertTrue(plan.contains("Index Scan using jobs_due on jobs"), plan);
        assertNoTableScan(plan);
    }

    /**
     * A worker's claim is planned once per connection, not on every call: the server keeps its
     * generic plan (for a kinds array it planned every claim anew, a seventh of its CPU).
     */
    @Test
    void theClaimKeepsItsGenericPlan() {
        Claims claims = new Claims(database, new SettableClock(TestStores.T0));
        for (int i = 0; i < 20; i++) {
            claims.claimNext("planner", Set.of("k1"), Duration.ofMinutes(1));
        }
        long generic = database.read(session -> session.queryLong("""
                SELECT generic_plans FROM pg_prepared_statements WHERE statement LIKE '%chosen_seq%'""")).orElse(0);
        assertTrue(generic >= 10, "claims run with the generic plan: " + generic + " of 20");
    }

    @Test
    void enqueueLooksUpByIndex() throws Exception {
        assertIndexOnly(EnqueueChecks.KEY_LOOKUP_SQL, "bot1", "key1");
        assertIndexOnly(Enqueues.QUEUED_TWIN_SQL, "bot1", "k1", "{}");
        assertIndexOnly(Enqueues.ACTIVE_SQL, "bot1");
    }

    @Test
    void leasesCancelsAndReadsSeekAnIndex() throws Exception {
        assertIndexOnly(Leases.expiredSql(SqlEngine.POSTGRESQL), 5_000L, 100);
        assertIndexOnly(Cancels.watchSql(SqlEngine.POSTGRESQL), "w", "w\u007f");
        assertIndexOnly(Reads.idPrefixSql(SqlEngine.POSTGRESQL), "0000", "0001", "bot1", "bot1", 10);
        assertIndexOnly(Stats.NOT_DUE_SQL, 50_000L);
        assertIndexOnly(Stats.OLDEST_QUEUED_SQL);
        for (JobQuery query : List.of(JobQuery.all(), JobQuery.all().forRequester("bot3"),
                JobQuery.all().withStatuses(Set.of(JobStatus.QUEUED)))) {
            ListPlan list = ListPlan.of(query, SqlEngine.POSTGRESQL);
            String plan = plan(list.sql(), session -> {
                PreparedStatement select = session.prepare("EXPLAIN " + list.sql());
                list.bind(select);
                return select;
            });
            assertNoTableScan(plan);
        }
    }

    private void assertIndexOnly(String sql, Object... parameters) throws Exception {
        String plan = plan(sql, session -> {
            PreparedStatement select = session.prepare("EXPLAIN " + sql);
            Session.bind(select, parameters);
            return select;
        });
        assertTrue(plan.contains("Index"), plan);
        assertNoTableScan(plan);
    }

    private static void assertNoTableScan(String plan) {
        assertFalse(plan.contains("Seq Scan on jobs"), plan);
    }

    @FunctionalInterface
    private interface Explain {
        PreparedStatement prepare(Session session) throws Exception;
    }

    /** The plan PostgreSQL would run {@code sql} with, as text; generic plans are forced, as a prepared statement gets. */
    private String plan(String sql, Explain explain) {
        return database.read(session -> {
            session.execute("SET plan_cache_mode = force_generic_plan");
            List<String> lines = new ArrayList<>();
            try {
                try (ResultSet rows = explain.prepare(session).executeQuery()) {
                    while (rows.next()) {
                        lines.add(rows.getString(1));
                    }
                }
            } catch (java.sql.SQLException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            session.execute("RESET plan_cache_mode");
            return sql.lines().findFirst().orElse("") + "\n" + String.join("\n", lines);
        });
    }
}
