package clf.server.internal.cattle.capacity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.queue.postgres.PostgresAddress;
import clf.queue.postgres.PostgresDatabase;
import clf.queue.sql.SqlEngine;
import clf.testing.Race;
import clf.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Capacity: limits over listed servers plus reservations, shared by every opener of the store
 * (a host's processes on its SQLite file; the fleet's hosts on PostgreSQL).
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(SqlEngine.class)
class SpawnSlotsTest {
    @Parameter
    SqlEngine engine;
    @TempDir
    Path dir;
    TestDatabase database;
    final List<PostgresDatabase> pools = new ArrayList<>();

    @BeforeEach
    void database() {
        database = TestDatabase.create(engine == SqlEngine.POSTGRESQL, dir);
    }

    @AfterEach
    void closePools() {
        pools.forEach(PostgresDatabase::close);
    }

    /** A new opener of the test's store: on PostgreSQL a pool of its own, as another host's. */
    SpawnSlots open() {
        if (engine == SqlEngine.SQLITE) {
            return SpawnSlots.open(database.sqliteFile("capacity.sqlite"), Clock.systemUTC());
        }
        PostgresDatabase pool = PostgresDatabase.open(PostgresAddress.parse("CLF_DATABASE_URL", database.url()),
                database.password(), 4, Duration.ofSeconds(10));
        pools.add(pool);
        return SpawnSlots.open(pool, Clock.systemUTC());
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
    void threeOpenersRacingNeverReserveMoreThanTheLimit() throws Exception {
        int limit = 5;
        int callers = 30;
        try (SpawnSlots first = open(); SpawnSlots second = open(); SpawnSlots third = open()) {
            List<SpawnSlots> hosts = List.of(first, second, third);
            for (int round = 0; round < 20; round++) {
                String prefix = "round" + round + "-";

                Map<String, Integer> answers = Race.count(callers, i -> {
                    String refusal = hosts.get(i % hosts.size()).reserve(prefix + i, "r" + i % 3, List.of(), limit, limit);
                    return refusal == null ? "reserved" : refusal;
                });

                assertEquals(Map.of("reserved", limit, "max instances reached (5/5)", callers - limit), answers,
                        "round " + round);
                assertEquals(limit, third.held());
                for (int i = 0; i < callers; i++) {
                    second.release(prefix + i);
                }
            }
        }
    }
}
