package clf.server.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.queue.postgres.PostgresAddress;
import clf.queue.postgres.PostgresDatabase;
import clf.testing.Race;
import clf.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fleet's enqueue rate on PostgreSQL: one bucket per requester, whichever host it enqueues through. */
class SharedEnqueueRateTest {
    @TempDir
    Path dir;
    final List<PostgresDatabase> pools = new ArrayList<>();
    TestDatabase database;

    /** Another host's rate: a pool of its own on the test's database. */
    EnqueueRate host(int perSecond, int burst) {
        if (database == null) {
            database = TestDatabase.create(true, dir);
        }
        PostgresDatabase pool = PostgresDatabase.open(PostgresAddress.parse("CLF_DATABASE_URL", database.url()),
                database.password(), 4, Duration.ofSeconds(10));
        pools.add(pool);
        return EnqueueRate.shared(pool, perSecond, burst);
    }

    @AfterEach
    void close() {
        pools.forEach(PostgresDatabase::close);
    }

    @Test
    void aBurstSpreadOverHostsIsOneBurst() {
        EnqueueRate a = host(1, 3);
        EnqueueRate b = host(1, 3);

        assertEquals(0, a.take("alice"));
        assertEquals(0, b.take("alice"));
        assertEquals(0, a.take("alice"));
        long wait = b.take("alice");

        assertTrue(wait > 0 && wait <= 1000, "one a second: the next within a second, got " + wait);
        assertEquals(0, b.take("bob"), "each requester has its own bucket");
        a.giveBack("alice");
        assertEquals(0, b.take("alice"), "a token given back on one host is taken on another");
    }

    @Test
    void hostsRacingForOneBucketTakeNoMoreThanItHolds() throws Exception {
        List<EnqueueRate> hosts = List.of(host(1, 5), host(1, 5), host(1, 5));
        long start = System.nanoTime();

        Map<String, Integer> outcomes = Race.count(30, i -> hosts.get(i % 3).take("alice") == 0 ? "taken" : "refused");

        double seconds = (System.nanoTime() - start) / 1e9;
        int taken = outcomes.getOrDefault("taken", 0);
        assertTrue(taken >= 5 && taken <= 5 + Math.ceil(seconds), "the burst of 5 plus 1/s over " + seconds + " s, got "
                + outcomes);
    }
}
