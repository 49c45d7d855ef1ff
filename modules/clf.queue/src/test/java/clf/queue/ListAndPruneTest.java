package clf.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.protocol.InvalidInputException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ListAndPruneTest extends StoreFixture {
    String enqueue(String kind, String requester) {
        clock.advance(Duration.ofMillis(1));
        return store.enqueue(NewJob.of(kind, requester, "{}")).jobId();
    }

    @Test
    void listsNewestFirstAndPagesWithACursor() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            ids.add(enqueue("cattle.reap", "maren"));
        }
        List<String> newestFirst = new ArrayList<>(ids);
        java.util.Collections.reverse(newestFirst);

        JobPage first = store.list(JobQuery.all().withLimit(3));
        JobPage second = store.list(JobQuery.all().withLimit(3).after(first.nextCursor()));
        JobPage third = store.list(JobQuery.all().withLimit(3).after(second.nextCursor()));

        assertEquals(newestFirst.subList(0, 3), ids(first));
        assertEquals(newestFirst.subList(3, 6), ids(second));
        assertEquals(newestFirst.subList(6, 7), ids(third));
        assertNull(third.nextCursor());
    }

    @Test
    void exactlyFullLastPageHasNoNextCursor() {
        enqueue("cattle.reap", "maren");
        enqueue("cattle.reap", "maren");

        assertNull(store.list(JobQuery.all().withLimit(2)).nextCursor());
    }

    @Test
    void filtersByRequesterStatusAndKind() {
        String marenReap = enqueue("cattle.reap", "maren");
        String marenSpawn = enqueue("cattle.spawn", "maren");
        String rexSpawn = enqueue("cattle.spawn", "rex");
        store.cancel(marenSpawn);

        assertEquals(List.of(marenSpawn, marenReap), ids(store.list(JobQuery.all().forRequester("maren"))));
        assertEquals(List.of(rexSpawn, marenSpawn),
                ids(store.list(JobQuery.all().withKinds(Set.of("cattle.spawn")))));
        assertEquals(List.of(rexSpawn, marenReap),
                ids(store.list(JobQuery.all().withStatuses(Set.of(JobStatus.QUEUED)))));
        assertEquals(List.of(marenSpawn), ids(store.list(JobQuery.all().forRequester("maren")
                .withStatuses(Set.of(JobStatus.CANCELED, JobStatus.FAILED)).withKinds(Set.of("cattle.spawn")))));
        assertTrue(store.list(JobQuery.all().forRequester("nobody")).jobs().isEmpty());
    }

    @Test
    void queryInputIsChecked() {
        assertThrows(InvalidInputException.class, () -> JobQuery.all().withLimit(0));
        assertThrows(InvalidInputException.class, () -> JobQuery.all().withLimit(501));
        EnqueueTest.assertMessage("cursor: the nextCursor of a previous page, got 'abc'",
                () -> JobQuery.all().after("abc"));
        assertThrows(InvalidInputException.class, () -> JobQuery.all().forRequester("BAD NAME"));
        assertThrows(InvalidInputException.class, () -> JobQuery.all().withKinds(Set.of("")));
    }

    @Test
    void pruneDeletesOnlyLongEndedJobsWithTheirEvents() {
        String oldDone = enqueue("cattle.reap", "maren");
        store.claimNext("w", Set.of("cattle.reap"), Duration.ofSeconds(10));
        store.ack(oldDone, "w", null);
        String oldCanceled = enqueue("cattle.reap", "maren");
        store.cancel(oldCanceled);
        String oldQueued = enqueue("cattle.spawn", "maren");
        clock.advance(Duration.ofDays(31));
        String recentCanceled = enqueue("cattle.reap", "maren");
        store.cancel(recentCanceled);

        PruneResult result = store.prune(Duration.ofDays(30));

        assertEquals(new PruneResult(2, 5), result);
        assertTrue(store.get(oldDone).isEmpty());
        assertTrue(store.events(oldDone).isEmpty());
        assertTrue(store.get(oldCanceled).isEmpty());
        assertTrue(store.get(oldQueued).isPresent(), "unfinished jobs are never pruned");
        assertTrue(store.get(recentCanceled).isPresent());
    }

    @Test
    void pruneWorksThroughMoreThanOneBatch() {
        for (int i = 0; i < 1203; i++) {
            store.cancel(enqueue("cattle.reap", "maren"));
        }
        clock.advance(Duration.ofDays(2));

        assertEquals(1203, store.prune(Duration.ofDays(1)).jobs());
        assertTrue(store.list(JobQuery.all()).jobs().isEmpty());
    }

    static List<String> ids(JobPage page) {
        return page.jobs().stream().map(Job::id).toList();
    }
}
