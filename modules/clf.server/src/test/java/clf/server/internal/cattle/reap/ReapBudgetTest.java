package clf.server.internal.cattle.reap;

import clf.server.internal.cattle.OnCattleRig;
import clf.server.internal.cattle.capacity.HetznerBudget;
import clf.server.internal.housekeeping.Housekeeping;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.queue.Job;
import clf.queue.JobEvent;
import clf.queue.JobStatus;
import clf.queue.NewJob;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The report: 70 bot reaps used up the whole Hetzner rate-limit budget while everything else sat
 * queued. Now each bot reap lists only its own servers, its calls wait once the budget is under
 * the reserve (and its events say so), and the daemon's reap still goes out at once, spending the
 * reserve. The simulator's bucket holds 1,000 requests an hour (one more every 3.6 s) with 90 %
 * reserved, so the bots' 120 calls reach the reserve within the test.
 */
class ReapBudgetTest extends OnCattleRig {
    static final int BOT_REAPS = 70;
    static final int BOTS_WITH_SERVERS = 50;

    final long now = Instant.now().getEpochSecond();

    void expired(String name, String requester) {
        Map<String, String> labels = new HashMap<>(Map.of("managed-by", "clf", "cattle", "true", "expires-at",
                Long.toString(now - 60), "clf-job-id", "job-" + name));
        if (requester != null) {
            labels.put("requester", requester);
        }
        rig.sim.addServer(name, labels);
    }

    static String bot(int i) {
        return String.format("b%02d", i);
    }

    boolean waited(String jobId) {
        return rig.store.events(jobId).stream().map(JobEvent::type).anyMatch(HetznerBudget.WAIT_EVENT::equals);
    }

    @Test
    void botReapsWaitUnderTheReserveWhileTheDaemonsReapGoesOut() throws Exception {
        for (int i = 0; i < BOTS_WITH_SERVERS; i++) {
            expired("cattle-" + bot(i), bot(i));
        }
        expired("cattle-orphan", null); // no bot's: only the daemon's reap may delete it
        rig.start();
        HetznerBudget.apply(rig.hetzner, 90, rig.log);
        rig.sim.setRateLimit(1000);

        List<String> botReaps = new ArrayList<>();
        for (int i = 0; i < BOT_REAPS; i++) {
            botReaps.add(rig.enqueue(NewJob.of("cattle.reap", bot(i), "{\"dryRun\":false}")));
        }
        rig.await(() -> botReaps.stream().anyMatch(this::waited), Duration.ofSeconds(60),
                () -> "no bot reap waited for the budget; statuses: "
                        + botReaps.stream().map(id -> rig.job(id).status()).toList());

        String daemonReap = rig.enqueue(NewJob.of("cattle.reap", Housekeeping.REQUESTER, "{\"dryRun\":false}")
                .withPriority(Housekeeping.REAP_PRIORITY));
        Job done = rig.awaitJob(daemonReap, job -> job.status().isTerminal());

        assertEquals(JobStatus.DONE, done.status(), rig.events(daemonReap).toString());
        assertTrue(!waited(daemonReap), "the daemon's reap spent the reserve: " + rig.events(daemonReap));
        Map<String, Map<String, Object>> reaped = ReapHandlerTest.byName(ReapHandlerTest.result(done));
        assertEquals("deleted", reaped.get("cattle-orphan").get("outcome"), reaped.toString());
        assertTrue(botReaps.stream().filter(id -> !rig.job(id).status().isTerminal()).count() > 0,
                "bots' reaps were still waiting when the daemon's was done");

        String someWait = botReaps.stream().filter(this::waited).findFirst().orElseThrow();
        String told = rig.store.events(someWait).stream().filter(e -> e.type().equals(HetznerBudget.WAIT_EVENT))
                .findFirst().orElseThrow().message();
        assertTrue(told.contains("under the 900 (90 %, CLF_HETZNER_RESERVE_PERCENT) kept for the daemon's own reaps"
                + " and deletes") && told.contains(" of 1000 requests an hour left"), told);
        for (int i = 0; i < BOT_REAPS; i++) {
            Job bot = rig.job(botReaps.get(i));
            if (bot.status() == JobStatus.DONE) {
                Set<String> named = ReapHandlerTest.byName(ReapHandlerTest.result(bot)).keySet();
                assertTrue(named.isEmpty() || named.equals(Set.of("cattle-" + bot(i))),
                        bot(i) + "'s reap named only its own server: " + named);
            }
        }
        assertTrue(rig.sim.exchanges().stream().noneMatch(e -> e.status() == 429), "never rate limited");
    }
}
