package clf.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    void everyListShapeAndEveryClaimStepIsAnIndexSeek() {
        for (int i = 0; i < 20; i++) {
            enqueue(i % 2 == 0 ? "cattle.reap" : "cattle.spawn", i % 3 == 0 ? "maren" : "rex");
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
        for (JobQuery shape : shapes) {
            assertSeeks(store.explainList(shape), shape.toString());
        }
        assertSeeks(store.explainClaim(), "claim");
    }

    static void assertSeeks(List<String> plan, String what) {
        assertFalse(plan.isEmpty(), what);
        for (String step : plan) {
            assertTrue(step.startsWith("SEARCH"), what + " has a step that is not an index seek: " + plan);
            assertFalse(step.contains("TEMP B-TREE"), what + " sorts in a temp b-tree: " + plan);
        }
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
