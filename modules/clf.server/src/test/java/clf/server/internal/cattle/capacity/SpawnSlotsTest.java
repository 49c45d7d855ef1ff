package clf.server.internal.cattle.capacity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.testing.HostTool;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The capacity file: limits over listed servers plus reservations, shared by every opener of the file. */
class SpawnSlotsTest {
    @TempDir
    Path dir;

    SpawnSlots open() {
        return SpawnSlots.open(dir.resolve("capacity.sqlite"), Clock.systemUTC());
    }

    @Test
    void aCapacityFilePlantedByAnotherUserIsRefused() throws Exception {
        HostTool.requireRoot("to give a file to another user");
        open().close();
        java.nio.file.Files.setAttribute(dir.resolve("capacity.sqlite"), "unix:uid", 4299,
                java.nio.file.LinkOption.NOFOLLOW_LINKS);

        clf.queue.StoreException refused = org.junit.jupiter.api.Assertions.assertThrows(
                clf.queue.StoreException.class, this::open);

        assertTrue(refused.getMessage().startsWith("database file is owned by uid 4299"), refused.getMessage());
    }

    @Test
    void aListedServerAndItsReservationCountOnce() {
        try (SpawnSlots slots = open()) {
            assertNull(slots.reserve("j1", "maren", List.of(), 2, 2));

            List<SpawnSlots.Live> live = List.of(new SpawnSlots.Live("j1", "maren"));
            assertNull(slots.reserve("j2", "maren", live, 2, 2));
            assertEquals("max instances reached (2/2)", slots.reserve("j3", "maren", live, 2, 2));
        }
    }

    @Test
    void aRetryKeepsItsSlotAndAReleaseFreesIt() {
        try (SpawnSlots slots = open()) {
            assertNull(slots.reserve("j1", "maren", List.of(), 1, 1));
            assertNull(slots.reserve("j1", "maren", List.of(), 1, 1), "the same job again: it holds the slot");
            assertEquals("max instances reached (1/1)", slots.reserve("j2", "ayla", List.of(), 1, 1));

            slots.release("j1");

            assertNull(slots.reserve("j2", "ayla", List.of(), 1, 1));
        }
    }

    @Test
    void heldCountsTheSlotsOfEveryProcessSharingTheFile() {
        try (SpawnSlots slots = open(); SpawnSlots other = open()) {
            assertEquals(0, slots.held());
            assertNull(slots.reserve("j1", "maren", List.of(), 5, 5));
            assertNull(other.reserve("j2", "ayla", List.of(), 5, 5));

            assertEquals(2, slots.held());
            other.release("j2");
            assertEquals(1, slots.held());
        }
    }

    @Test
    void serversMadeOutsideClfCountEachAndByTheirRequesterLabel() {
        try (SpawnSlots slots = open()) {
            List<SpawnSlots.Live> live = List.of(new SpawnSlots.Live(null, "maren_bot"), new SpawnSlots.Live(null, null));

            assertEquals("max instances per requester reached for maren_bot (1/1)",
                    slots.reserve("j1", "maren_bot", live, 10, 1));
            assertEquals("max instances reached (2/2)", slots.reserve("j1", "ayla", live, 2, 2));
        }
    }

    @Test
    void aReservationOutlivesARestart() {
        try (SpawnSlots before = open()) {
            assertNull(before.reserve("in-flight", "maren", List.of(), 1, 1));
        }
        try (SpawnSlots after = open()) {
            assertEquals("max instances reached (1/1)", after.reserve("next", "ayla", List.of(), 1, 1),
                    "a spawn killed between reserve and create still holds its slot");
            assertNull(after.reserve("in-flight", "maren", List.of(), 1, 1), "and gets it back when it runs again");
        }
    }

    @Test
    void staleReservationsOfJobsWithoutAServerAreFreed() {
        try (SpawnSlots slots = open()) {
            slots.reserve("gone", "maren", List.of(), 10, 10);
            slots.reserve("alive", "maren", List.of(), 10, 10);

            assertEquals(0, slots.releaseUnused(Set.of("alive"), job -> false, Duration.ofHours(1)),
                    "young ones of running jobs are kept");
            assertEquals(1, slots.releaseUnused(Set.of("alive"), job -> false, Duration.ZERO.minusMillis(1)));
            assertEquals("max instances reached (1/1)", slots.reserve("next", "maren", List.of(), 1, 10));
        }
    }

    @Test
    void aSlotWhoseJobEndedWithoutAServerIsFreedAtOnce() {
        try (SpawnSlots slots = open()) {
            // A daemon killed inside the delete of "reaped"'s server, or before "never-made" created one.
            slots.reserve("reaped", "maren", List.of(), 10, 10);
            slots.reserve("never-made", "maren", List.of(), 10, 10);
            slots.reserve("still-spawning", "maren", List.of(), 10, 10);
            slots.reserve("listed", "maren", List.of(), 10, 10);
            Set<String> ended = Set.of("reaped", "never-made", "listed");

            assertEquals(2, slots.releaseUnused(Set.of("listed"), ended::contains, Duration.ofHours(1)));

            assertNull(slots.reserve("next", "maren", List.of(new SpawnSlots.Live("listed", "maren")), 3, 10),
                    "the two freed slots are usable again");
            assertEquals("max instances reached (3/3)", slots.reserve("one-more", "maren",
                    List.of(new SpawnSlots.Live("listed", "maren")), 3, 10), "a running job and a listed server keep theirs");
        }
    }

    @Test
    void twoOpenersOfOneFileRacingNeverReserveMoreThanTheLimit() throws Exception {
        int limit = 5;
        try (SpawnSlots first = open(); SpawnSlots second = open()) {
            ExecutorService threads = Executors.newFixedThreadPool(8);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                SpawnSlots slots = i % 2 == 0 ? first : second;
                String job = "j" + i;
                answers.add(threads.submit(() -> {
                    go.await();
                    return slots.reserve(job, "r" + (job.hashCode() % 3), List.of(), limit, limit);
                }));
            }
            go.countDown();
            int granted = 0;
            for (Future<String> answer : answers) {
                String refusal = answer.get();
                if (refusal == null) {
                    granted++;
                } else {
                    assertTrue(refusal.startsWith("max instances reached (5/5)"), refusal);
                }
            }
            threads.shutdown();
            assertEquals(limit, granted);
        }
    }
}
