package clf.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.protocol.InvalidInputException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Finding jobs by the first characters of their id, as {@code clf jobs show 1a2b3c4d} does. */
class IdPrefixTest extends StoreFixture {
    /** Gives a job a chosen id, as if the random ids had collided on their first characters. */
    void renameJob(String from, String to) throws Exception {
        // The job first: PostgreSQL's events follow by ON UPDATE CASCADE (the second update then
        // matches nothing); SQLite, without enforced foreign keys here, needs the second.
        engine.execute(dir, "UPDATE jobs SET job_id = '" + to + "' WHERE job_id = '" + from + "'");
        engine.execute(dir, "UPDATE job_events SET job_id = '" + to + "' WHERE job_id = '" + from + "'");
    }

    static List<String> ids(List<Job> jobs) {
        return jobs.stream().map(Job::id).toList();
    }

    @Test
    void aUniquePrefixFindsExactlyThatJob() {
        String id = store.enqueue(NewJob.of("cattle.reap", "maren", "{}")).jobId();
        for (int i = 0; i < 20; i++) {
            store.enqueue(NewJob.of("cattle.reap", "maren", "{}"));
        }

        assertEquals(List.of(id), ids(store.findByIdPrefix(id.substring(0, 8), "maren", 10)));
        assertEquals(List.of(id), ids(store.findByIdPrefix(id.toUpperCase(), "maren", 10)), "upper case is folded");
        assertEquals(List.of(id), ids(store.findByIdPrefix(id, null, 10)), "a whole id is a prefix too");
    }

    @Test
    void aSharedPrefixReturnsEveryCandidateInIdOrder() throws Exception {
        renameJob(store.enqueue(NewJob.of("cattle.reap", "maren", "{}")).jobId(), "abcdef01-0000-4000-8000-00000000000b");
        renameJob(store.enqueue(NewJob.of("cattle.reap", "maren", "{}")).jobId(), "abcdef01-0000-4000-8000-00000000000a");
        renameJob(store.enqueue(NewJob.of("cattle.reap", "maren", "{}")).jobId(), "abcdef02-0000-4000-8000-00000000000a");
        renameJob(store.enqueue(NewJob.of("cattle.reap", "oskar", "{}")).jobId(), "abcdef01-0000-4000-8000-00000000000c");

        assertEquals(List.of("abcdef01-0000-4000-8000-00000000000a", "abcdef01-0000-4000-8000-00000000000b"),
                ids(store.findByIdPrefix("abcdef01", "maren", 10)));
        assertEquals(List.of("abcdef01-0000-4000-8000-00000000000a"), ids(store.findByIdPrefix("abcdef01", "maren", 1)));
        assertEquals(3, store.findByIdPrefix("abcdef01", null, 10).size());
        assertEquals(List.of("abcdef02-0000-4000-8000-00000000000a"), ids(store.findByIdPrefix("ABCDEF02", "maren", 10)));
    }

    @Test
    void anotherRequestersJobsAreNeverReturned() {
        String theirs = store.enqueue(NewJob.of("cattle.reap", "oskar", "{}")).jobId();

        assertEquals(List.of(), store.findByIdPrefix(theirs.substring(0, 8), "maren", 10));
        assertEquals(List.of(theirs), ids(store.findByIdPrefix(theirs.substring(0, 8), "oskar", 10)));
        assertEquals(List.of(theirs), ids(store.findByIdPrefix(theirs.substring(0, 8), null, 10)));
    }

    @Test
    void shortOrForeignPrefixesAreRefusedNamingTheField() {
        InvalidInputException tooShort = assertThrows(InvalidInputException.class,
                () -> store.findByIdPrefix("1a2b3c4", "maren", 10));
        assertTrue(tooShort.getMessage().startsWith("idPrefix: 8–36 characters"), tooShort.getMessage());
        assertThrows(InvalidInputException.class, () -> store.findByIdPrefix("1a2b3c4%", "maren", 10));
        assertThrows(InvalidInputException.class, () -> store.findByIdPrefix("1a2b3c4d'--", "maren", 10));
    }
}
