package clf.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Two JVMs of eight workers each on one store, as two daemons of one host (SQLite) or of two hosts (PostgreSQL). */
class MultiProcessClaimTest extends StoreFixture {
    @Test
    void eightThreadsInEachOfTwoProcessesAckEveryJobExactlyOnce() throws Exception {
        int jobs = 10_000;
        for (int i = 0; i < jobs; i++) {
            store.enqueue(NewJob.of("test.work", "maren", "{\"n\":" + i + "}"));
        }

        Process a = ChildJvm.start("claim-ack", engine.name(), dir.toString(), "8");
        Process b = ChildJvm.start("claim-ack", engine.name(), dir.toString(), "8");
        List<String> acked = new ArrayList<>(ChildJvm.linesOf(a));
        int byA = acked.size();
        acked.addAll(ChildJvm.linesOf(b));

        // Which lines break the count says what went wrong (a job acked twice, or a stray line):
        // one run under CI's load once saw 10,001 lines, and the old order of checks hid which.
        Set<String> seen = new HashSet<>();
        List<String> twice = acked.stream().filter(line -> !seen.add(line)).toList();
        List<String> stray = acked.stream().filter(line -> !line.startsWith("acked ")).toList();
        assertEquals(List.of(), stray, "lines other than acks on the children's stdout");
        assertEquals(List.of(), twice, "jobs acked twice");
        assertEquals(jobs, acked.size(), "acks reported by the workers");
        assertTrue(byA > 0 && byA < jobs, "both processes took part: " + byA + " of " + jobs);
        assertEquals(jobs, engine.queryLong(dir, "SELECT count(*) FROM job_events WHERE type = 'claim'"), "claims");
        assertEquals(jobs, engine.queryLong(dir, "SELECT count(*) FROM job_events WHERE type = 'ack'"), "acks");
        assertTrue(store.list(JobQuery.all().withStatuses(Set.of(JobStatus.QUEUED, JobStatus.RUNNING))).jobs().isEmpty());
    }
}
