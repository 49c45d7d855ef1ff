package clf.queue.internal.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.queue.EnqueueRules;
import clf.queue.JobQuery;
import clf.queue.JobStatus;
import clf.queue.NewJob;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every statement on a hot path is an index seek (or a walk of an index that holds only what it counts). */
class QueryPlanTest extends SqliteFixture {
    static final Set<String> KINDS = Set.of("test.a", "test.b");
    static final Duration LEASE = Duration.ofMinutes(1);

    static void assertSeeks(List<String> plan, String what) {
        assertFalse(plan.isEmpty(), what);
        for (String step : plan) {
            assertTrue(step.startsWith("SEARCH"), what + " has a step that is not an index seek: " + plan);
            assertFalse(step.contains("TEMP B-TREE"), what + " sorts in a temp b-tree: " + plan);
        }
    }

    @Test
    void everyListShapeAndEveryClaimStepIsAnIndexSeek() throws Exception {
        for (int i = 0; i < 20; i++) {
            clock.advance(Duration.ofMillis(1));
            store.enqueue(NewJob.of(i % 2 == 0 ? "cattle.reap" : "cattle.spawn", i % 3 == 0 ? "maren" : "rex", "{}"));
        }
        Set<JobStatus> one = Set.of(JobStatus.QUEUED);
        Set<JobStatus> two = Set.of(JobStatus.QUEUED, JobStatus.DONE);
        Set<String> oneKind = Set.of("cattle.spawn");
        Set<String> twoKinds = Set.of("cattle.spawn", "cattle.reap");
        List<JobQuery> shapes = List.of(
                JobQuery.all(),
                JobQuery.all().after("5"),
                JobQuery.all().forRequester("maren"),
                JobQuery.all().forRequester("maren").withStatuses(two).withKinds(twoKinds).after("9"),
                JobQuery.all().withStatuses(one),
                JobQuery.all().withStatuses(two),
                JobQuery.all().withKinds(oneKind),
                JobQuery.all().withKinds(twoKinds),
                JobQuery.all().withStatuses(one).withKinds(twoKinds),
                JobQuery.all().withStatuses(two).withKinds(oneKind));
        QueryPlans plans = new QueryPlans(file());
        for (JobQuery shape : shapes) {
            assertSeeks(plans.list(shape), shape.toString());
        }
        assertSeeks(plans.claim(), "claim");
    }

    @Test
    void statsWalkIndexesOfTheirStatusesOnly() throws Exception {
        assertEquals(List.of(
                "SCAN jobs USING COVERING INDEX jobs_due",             // queued, by kind
                "SCAN jobs USING INDEX jobs_by_lease",                 // running: one per busy worker
                "USE TEMP B-TREE FOR GROUP BY",                        // ... so sorting their kinds is cheap
                "SEARCH jobs USING COVERING INDEX jobs_ended_by_status_kind (status=?)",
                "SEARCH jobs USING INDEX jobs_by_runnable_since (<expr>>?)",
                "SEARCH jobs USING INDEX jobs_by_runnable_since"), new QueryPlans(file()).stats());
    }

    @Test
    void theCancelWatchSeeksAnIndexOfCancelRequestedRunningJobsOnly() throws Exception {
        assertEquals(List.of("SEARCH jobs USING COVERING INDEX jobs_cancel_requested (locked_by>? AND locked_by<?)"),
                new QueryPlans(file()).cancelWatch());
    }

    @Test
    void theIdPrefixLookupIsARangeSeekOnTheIdIndex() throws Exception {
        List<String> plan = new QueryPlans(file()).findByIdPrefix();

        assertEquals(1, plan.size(), plan.toString());
        assertTrue(plan.get(0).startsWith("SEARCH jobs USING INDEX sqlite_autoindex_jobs_1 (job_id>? AND job_id<?)"),
                plan.toString());
    }

    @Test
    void theClaimAndTheQuotaChecksStayIndexSeeksAt200000JobsAnd1000Requesters() throws Exception {
        store.close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file()); Statement s = c.createStatement()) {
            // A quarter queued (50 per requester), the rest ended; turns as enqueues would give them.
            s.execute("""
                    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200000)
                    INSERT INTO jobs (job_id, kind, requester, payload_json, status, priority, run_at, created_at,
                                      updated_at, attempt, max_attempts, turn, payload_bytes)
                    SELECT printf('%08x-0000-4000-8000-000000000000', i), 'test.a', 'bot' || (i % 1000), '{}',
                           CASE WHEN i % 4 = 0 THEN 'queued' ELSE 'done' END, 0, 1, 1, 1, 0, 1, i / 1000, 2
                      FROM n""");
            s.execute("INSERT INTO requester_turns SELECT 'bot' || (i % 1000), 200 FROM (SELECT seq AS i FROM jobs"
                    + " WHERE seq <= 1000)");
        }
        open();
        QueryPlans plans = new QueryPlans(file());

        assertEquals(List.of(
                "SEARCH jobs USING COVERING INDEX jobs_due (kind=?)",
                "SEARCH jobs USING INDEX jobs_by_lease (lease_until<?)",
                "SEARCH jobs USING INDEX jobs_by_idempotency_key (requester=? AND idempotency_key=?)"),
                plans.claim());
        assertEquals(List.of(
                "SEARCH jobs USING INDEX jobs_scheduled (run_at<?)",
                "SEARCH jobs USING COVERING INDEX jobs_active_by_requester (requester=? AND status=?)",
                "SEARCH jobs USING INDEX jobs_active_by_requester (requester=? AND status=? AND kind=?)",
                "SCAN CONSTANT ROW",
                "SCALAR SUBQUERY 1",
                "SEARCH requester_turns USING PRIMARY KEY (requester=?)",
                "SCALAR SUBQUERY 2",
                "SEARCH claim_turn USING INTEGER PRIMARY KEY (rowid=?)"),
                plans.enqueueRules());
        String bob = store.enqueue(NewJob.of("test.a", "bob", "{}"), new EnqueueRules(100, 4096, false)).jobId();
        assertEquals("bot4", store.claimNext("w1", KINDS, LEASE).orElseThrow().requester(), "turn 0 first");
        for (int i = 0; i < 1000; i++) {
            store.claimNext("w1", KINDS, LEASE).orElseThrow();
        }
        assertTrue(store.get(bob).orElseThrow().status() == JobStatus.RUNNING,
                "bob's job, the first of its turn, went before the 49,000 jobs enqueued later");
    }
}
