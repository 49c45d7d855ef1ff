package clf.server.internal.housekeeping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.queue.Job;
import clf.queue.JobQuery;
import clf.queue.JobStore;
import clf.queue.JobStores;
import clf.server.internal.log.Log;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon's periodic reap: its own requester, fleet-wide, and ahead of any bot's job. */
class HousekeepingTest {
    @TempDir
    Path dir;

    @Test
    void thePeriodicReapIsTheDaemonsAndRunsBeforeBotsJobs() throws Exception {
        Log log = new Log(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                Clock.systemUTC());
        try (JobStore store = JobStores.openSqlite(dir.resolve("state.sqlite"));
                Housekeeping housekeeping = new Housekeeping(store, Clock.systemUTC(), log)) {
            housekeeping.start(Duration.ofMillis(100));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            List<Job> reaps = List.of();
            while (reaps.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
                reaps = store.list(new JobQuery(null, Set.of(), Set.of("cattle.reap"), 10, null)).jobs();
            }
            assertTrue(!reaps.isEmpty(), "a reap was enqueued");
            Job reap = reaps.get(0);
            assertEquals(Housekeeping.REQUESTER, reap.requester());
            assertEquals(Housekeeping.REAP_PRIORITY, reap.priority());
            assertTrue(Housekeeping.REAP_PRIORITY > 10, "above CLF_BOT_MAX_PRIORITY's default");
        }
    }
}
