package clf.queue.internal.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import clf.queue.EnqueueRules;
import clf.queue.JobStatus;
import clf.queue.NewJob;
import clf.queue.QueueStats;
import clf.queue.QuotaExceededException;
import clf.queue.sql.Schema;
import clf.queue.sqlite.Database;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A file written by an older clf is brought up to date with its jobs kept and working. */
class SchemaUpgradeTest extends SqliteFixture {
    static final Set<String> KINDS = Set.of("test.a", "test.b");
    static final Duration LEASE = Duration.ofMinutes(1);

    /** A file at {@code steps} of the job schema, with {@code insert} run in it. */
    Path oldFile(int steps, String insert) {
        Path file = dir.resolve("old/state.sqlite");
        Schema old = new Schema("job queue", JobSchema.SCHEMA.steps().subList(0, steps));
        try (Database database = Database.open(file, Duration.ofSeconds(1), old)) {
            database.write(session -> {
                session.execute(insert);
                return null;
            });
        }
        return file;
    }

    static long number(Path file, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             ResultSet row = c.createStatement().executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }

    @Test
    void aVersionOneStoreIsUpgradedWithItsJobsKept() throws Exception {
        Path file = oldFile(1, """
                INSERT INTO jobs (job_id, kind, requester, payload_json, status, priority, run_at,
                                  created_at, updated_at, attempt, max_attempts)
                VALUES ('j1', 'test.a', 'maren', '{}', 'queued', 0, 1, 1, 1, 0, 1)""");

        reopen(file);

        assertEquals(List.of(new QueueStats.Count("test.a", JobStatus.QUEUED, 1)), store.stats().counts());
        assertEquals(Optional.of(Instant.ofEpochMilli(1)), store.stats().oldestRunnableSince());
        assertEquals(JobSchema.SCHEMA.latest(), number(file, "PRAGMA user_version"));
    }

    @Test
    void aStoreOfStepThreeIsUpgradedAndItsQueuedJobsGoFirstInTheirOldOrder() throws Exception {
        Path file = oldFile(3, """
                INSERT INTO jobs (job_id, kind, requester, payload_json, status, priority, run_at,
                                  created_at, updated_at, attempt, max_attempts, locked_by, lease_until)
                VALUES ('j-late', 'test.a', 'alice', '{"é":1}', 'queued', 0, 20, 1, 1, 0, 1, NULL, NULL),
                       ('j-early', 'test.a', 'alice', '{}', 'queued', 0, 10, 2, 2, 0, 1, NULL, NULL),
                       ('j-run', 'test.a', 'alice', '{}', 'running', 0, 10, 2, 2, 1, 1, 'w0', 9999999999999),
                       ('j-future', 'test.a', 'bob', '{}', 'queued', 0, 9999999999999, 2, 2, 0, 1, NULL, NULL)""");

        reopen(file);
        String fresh = store.enqueue(NewJob.of("test.a", "bob", "{}")).jobId();

        assertEquals(List.of("j-early", "j-late", fresh), List.of(store.claimNext("w1", KINDS, LEASE).orElseThrow().id(),
                store.claimNext("w1", KINDS, LEASE).orElseThrow().id(), store.claimNext("w1", KINDS, LEASE).orElseThrow().id()));
        QuotaExceededException refused = assertThrows(QuotaExceededException.class,
                () -> store.enqueue(NewJob.of("test.a", "alice", "{}"), new EnqueueRules(3, Long.MAX_VALUE, false)),
                "the upgraded jobs count: 3 running");
        assertEquals(3, refused.limit());
        assertEquals(8, number(file, "SELECT payload_bytes FROM jobs WHERE job_id = 'j-late'"),
                "payload bytes are counted for jobs stored before the step");
        assertEquals(Turns.SCHEDULED, number(file, "SELECT turn FROM jobs WHERE job_id = 'j-future'"),
                "a job still to come gets its turn when due");
    }
}
