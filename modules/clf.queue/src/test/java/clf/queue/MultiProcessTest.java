package clf.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JVMs on one SQLite file killed with SIGKILL: the file stays intact and every job is done once.
 * (Processes sharing a store on either engine: {@link MultiProcessClaimTest}.)
 */
class MultiProcessTest {
    @TempDir
    Path dir;

    @Test
    void killedWorkersLoseNoJobAndDoNoJobTwice() throws Exception {
        Path db = StoreEngine.sqliteFile(dir);
        int jobs = 3_000;
        try (JobStore store = JobStores.openSqlite(db)) {
            for (int i = 0; i < jobs; i++) {
                store.enqueue(NewJob.of("test.work", "maren", "{}").withMaxAttempts(100));
            }
        }
        Random random = new Random(42);
        int kills = 0;
        while (kills < 25) {
            Process worker = ChildJvm.start("crash-loop", "SQLITE", dir.toString());
            try (var out = worker.inputReader()) {
                assertEquals("ready", out.readLine());
                Thread.sleep(20 + random.nextInt(150));
            }
            worker.destroyForcibly(); // SIGKILL: no shutdown hooks, no rollback, a torn lease
            worker.waitFor(10, TimeUnit.SECONDS);
            kills++;
            // After every kill the store opens, is intact, and has every job.
            try (JobStore store = JobStores.openSqlite(db)) {
                assertEquals("ok", integrityCheck(db));
                assertEquals(jobs, countJobs(db));
                assertTrue(ackCountsPerJob(db).values().stream().allMatch(n -> n <= 1), "a job was done twice");
            }
        }

        ChildJvm.linesOf(ChildJvm.start("crash-loop", "SQLITE", dir.toString())); // the survivor finishes the rest

        Map<String, Integer> acks = ackCountsPerJob(db);
        assertEquals(jobs, acks.size(), "every job was done");
        assertTrue(acks.values().stream().allMatch(n -> n == 1), "no job was done twice");
        assertEquals(jobs, countJobsWithStatus(db, "done"));
        int reclaims = countEvents(db, "reclaim").getOrDefault("reclaim", 0);
        assertTrue(reclaims > 0, "killed workers' leases were taken back");
        System.out.printf("crash test: %d kills, %d leases taken back, %d jobs each done once%n", kills, reclaims, jobs);
    }

    static String integrityCheck(Path db) throws Exception {
        return query(db, "PRAGMA integrity_check").get(0).get(0);
    }

    static int countJobs(Path db) throws Exception {
        return Integer.parseInt(query(db, "SELECT count(*) FROM jobs").get(0).get(0));
    }

    static int countJobsWithStatus(Path db, String status) throws Exception {
        return Integer.parseInt(query(db, "SELECT count(*) FROM jobs WHERE status = '" + status + "'").get(0).get(0));
    }

    static Map<String, Integer> ackCountsPerJob(Path db) throws Exception {
        Map<String, Integer> counts = new HashMap<>();
        for (List<String> row : query(db, "SELECT job_id, count(*) FROM job_events WHERE type = 'ack' GROUP BY job_id")) {
            counts.put(row.get(0), Integer.parseInt(row.get(1)));
        }
        return counts;
    }

    static Map<String, Integer> countEvents(Path db, String... types) throws Exception {
        Map<String, Integer> counts = new HashMap<>();
        for (String type : types) {
            int n = Integer.parseInt(query(db, "SELECT count(*) FROM job_events WHERE type = '" + type + "'")
                    .get(0).get(0));
            if (n > 0) {
                counts.put(type, n);
            }
        }
        return counts;
    }

    static List<List<String>> query(Path db, String sql) throws Exception {
        List<List<String>> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            int columns = r.getMetaData().getColumnCount();
            while (r.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    row.add(r.getString(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }
}
