package clf.queue.internal.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.queue.JobStatus;
import clf.queue.internal.StatusSql.Move;
import clf.queue.internal.StatusSql;
import clf.queue.internal.Transitions;
import org.junit.jupiter.api.Test;

class StatusSqlTest {
    @Test
    void anUpdateCanOnlyMakeAMoveJobStatusAllows() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Move(JobStatus.DONE, JobStatus.QUEUED));
        assertEquals("a job cannot move from DONE to QUEUED", e.getMessage());
        assertEquals("status = 'done'", Transitions.ACK.set());
        assertEquals("status = 'running'", Transitions.ACK.guard());
    }

    /** SQLite uses a partial index only for a query that repeats its condition: the text must match the schema's. */
    @Test
    void statusListsAreSpelledAsThePartialIndexesSpellThem() {
        String schema = String.join("\n", JobSchema.SCHEMA.steps());
        assertEquals("status IN ('queued', 'running')", StatusSql.in(JobStatus.ACTIVE));
        assertEquals("status IN ('done', 'failed', 'canceled')", StatusSql.in(JobStatus.ENDED));
        assertTrue(schema.contains("WHERE " + StatusSql.in(JobStatus.ACTIVE)));
        assertTrue(schema.contains("WHERE " + StatusSql.in(JobStatus.ENDED)));
        assertTrue(schema.contains("WHERE " + StatusSql.is(JobStatus.QUEUED)));
    }
}
