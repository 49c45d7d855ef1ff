package clf.server.internal.cattle.reap;

import clf.queue.NewJob;
import clf.server.internal.cattle.OnCattleRig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.hetzner.sim.SimServer;
import clf.queue.Job;
import clf.queue.JobStatus;
import com.fasterxml.jackson.jr.ob.JSON;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code cattle.reap} against the Hetzner simulator: what counts as expired, one outcome per
 * server (deleted, already gone, failed and why), dry runs, and deletes four at a time.
 */
class ReapHandlerTest extends OnCattleRig {
    final long now = Instant.now().getEpochSecond();

    @BeforeEach
    void open() throws Exception {
        rig.settings.maxTtl = Duration.ofHours(24);
    }

    SimServer managed(String name, Map<String, String> extra) {
        Map<String, String> labels = new HashMap<>(Map.of("managed-by", "clf", "cattle", "true"));
        labels.putAll(extra);
        return rig.sim.addServer(name, labels);
    }

    SimServer expiredSecondsAgo(String name, long seconds) {
        return managed(name, Map.of("expires-at", Long.toString(now - seconds), "clf-job-id", "job-" + name));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> result(Job done) throws Exception {
        return JSON.std.mapFrom(done.resultJson());
    }

    @SuppressWarnings("unchecked")
    static Map<String, Map<String, Object>> byName(Map<String, Object> result) {
        return ((List<Map<String, Object>>) result.get("servers")).stream()
                .collect(Collectors.toMap(server -> (String) server.get("name"), server -> server));
    }

    Set<String> remaining() {
        return rig.sim.servers().stream().filter(server -> !server.status().equals("deleting"))
                .map(SimServer::name).collect(Collectors.toSet());
    }

    @Test
    void deletesExpiredServersAndOldOnesWithoutAnExpiryAndKeepsTheRest() throws Exception {
        expiredSecondsAgo("expired", 60);
        managed("not-yet", Map.of("expires-at", Long.toString(now + 600)));
        managed("no-expiry-old", Map.of("created-at", Long.toString(now - 25 * 3600)));
        managed("bad-expiry-old", Map.of("expires-at", "soon", "created-at", Long.toString(now - 25 * 3600)));
        managed("no-expiry-young", Map.of());
        rig.sim.addServer("not-ours", Map.of("expires-at", Long.toString(now - 60)));
        rig.start();

        Map<String, Object> result = result(rig.awaitJob(rig.reap(false), job -> job.status() == JobStatus.DONE));

        assertEquals(Set.of("expired", "no-expiry-old", "bad-expiry-old"), byName(result).keySet());
        byName(result).values().forEach(server -> assertEquals("deleted", server.get("outcome"), server.toString()));
        assertEquals(3, ((Number) result.get("deleted")).intValue());
        assertEquals(5, ((Number) result.get("checked")).intValue(), "only managed servers are looked at");
        assertEquals(Set.of("not-yet", "no-expiry-young", "not-ours"), remaining());
    }

    @Test
    void aServerWhoseSpawnJobFailedOrWasCanceledIsReapedBeforeItsTtl() throws Exception {
        String failedJob = rig.enqueue(NewJob.of("test.other", "maren", "{}"));
        rig.store.claimNext("gone-worker", Set.of("test.other"), Duration.ofMinutes(1));
        rig.store.failPermanently(failedJob, "gone-worker", "the worker died");
        String canceledJob = rig.enqueue(NewJob.of("test.other", "maren", "{}"));
        rig.store.cancel(canceledJob);
        String queuedJob = rig.enqueue(NewJob.of("test.other", "maren", "{}").withRunAt(Instant.now().plusSeconds(3600)));
        String future = Long.toString(now + 3600);
        managed("orphan-failed", Map.of("expires-at", future, "clf-job-id", failedJob));
        managed("orphan-canceled", Map.of("expires-at", future, "clf-job-id", canceledJob));
        managed("job-still-queued", Map.of("expires-at", future, "clf-job-id", queuedJob));
        managed("job-pruned", Map.of("expires-at", future, "clf-job-id", "no-such-job"));
        rig.start();

        Map<String, Object> result = result(rig.awaitJob(rig.reap(false), job -> job.status() == JobStatus.DONE));

        assertEquals(Set.of("orphan-failed", "orphan-canceled"), byName(result).keySet());
        assertEquals("its spawn job failed", byName(result).get("orphan-failed").get("why"));
        assertEquals("its spawn job canceled", byName(result).get("orphan-canceled").get("why"));
        assertEquals(Set.of("job-still-queued", "job-pruned"), remaining());
    }

    /** Two servers before their TTL: one whose agent reported its task finished, one whose task runs. */
    void finishedAndRunning() {
        String finished = rig.enqueue(NewJob.of("test.other", "maren", "{}"));
        rig.store.recordEvent(finished, "cattle.task-started", "on task-finished");
        rig.store.recordEvent(finished, "cattle.task-finished", "exit 3 after 10 ms");
        String running = rig.enqueue(NewJob.of("test.other", "maren", "{}"));
        rig.store.recordEvent(running, "cattle.task-started", "on task-running");
        String future = Long.toString(now + 3600);
        managed("task-finished", Map.of("expires-at", future, "clf-job-id", finished));
        managed("task-running", Map.of("expires-at", future, "clf-job-id", running));
    }

    @Test
    void withDeleteOnFinishAServerWhoseTaskFinishedIsReapedBeforeItsTtl() throws Exception {
        finishedAndRunning();
        rig.start();

        Map<String, Object> result = result(rig.awaitJob(rig.reap(false), job -> job.status() == JobStatus.DONE));

        assertEquals(Set.of("task-finished"), byName(result).keySet());
        assertEquals("its task finished", byName(result).get("task-finished").get("why"));
        assertEquals(Set.of("task-running"), remaining());
    }

    @Test
    void withoutDeleteOnFinishTheTtlDecides() throws Exception {
        rig.settings.deleteOnFinish = false;
        finishedAndRunning();
        rig.start();

        Map<String, Object> result = result(rig.awaitJob(rig.reap(false), job -> job.status() == JobStatus.DONE));

        assertEquals(Set.of(), byName(result).keySet());
        assertEquals(Set.of("task-finished", "task-running"), remaining());
    }

    @Test
    void aServerDeletedByOthersMeanwhileIsReportedAlreadyGone() throws Exception {
        SimServer gone = expiredSecondsAgo("gone", 300);
        expiredSecondsAgo("here", 200);
        rig.start();
        AtomicBoolean armed = new AtomicBoolean(true);
        rig.sim.addObserver(exchange -> {
            if ("GET /servers".equals(exchange.route()) && armed.compareAndSet(true, false)) {
                rig.hetzner.deleteServer(gone.id()); // after the reap listed it
            }
        });

        Map<String, Object> result = result(rig.awaitJob(rig.reap(false), job -> job.status() == JobStatus.DONE));

        Map<String, Map<String, Object>> servers = byName(result);
        assertEquals("already-gone", servers.get("gone").get("outcome"), servers.toString());
        assertEquals("deleted", servers.get("here").get("outcome"));
        assertEquals(1, ((Number) result.get("alreadyGone")).intValue());
        assertEquals(1, ((Number) result.get("deleted")).intValue());
        assertEquals(Set.of(), remaining());
    }

    @Test
    void aRefusedDeleteIsReportedWithItsReasonAndTheOthersAreStillDeleted() throws Exception {
        for (String name : List.of("a", "b", "c", "d", "e")) {
            expiredSecondsAgo(name, 100);
            assertEquals(null, rig.slots.reserve("job-" + name, "maren", List.of(), 100, 100));
        }
        rig.start();
        AtomicBoolean armed = new AtomicBoolean(true);
        rig.sim.addObserver(exchange -> {
            if ("GET /servers".equals(exchange.route()) && armed.compareAndSet(true, false)) {
                rig.sim.failNext(1, 403, "forbidden", "this project is locked");
            }
        });

        Job done = rig.awaitJob(rig.reap(false), job -> job.status() == JobStatus.DONE);

        Map<String, Object> result = result(done);
        List<Map<String, Object>> failed = byName(result).values().stream()
                .filter(server -> "failed".equals(server.get("outcome"))).toList();
        assertEquals(1, failed.size(), result.toString());
        assertTrue(String.valueOf(failed.get(0).get("reason")).contains("forbidden"), failed.toString());
        assertEquals(4, ((Number) result.get("deleted")).intValue());
        assertEquals(1, ((Number) result.get("failed")).intValue());
        assertEquals(Set.of(failed.get(0).get("name")), remaining(), "only the refused one is left, for the next reap");
        assertEquals(Set.of("job-" + failed.get(0).get("name")), rig.reservations(),
                "the slots of deleted servers are free; the one still there keeps its slot");
    }

    @Test
    void theSlotOfASpawnThatEndedWithoutAServerIsFreedWithoutWaitingAnHour() throws Exception {
        // The daemon was killed inside the delete of this job's server: the server went, its slot stayed.
        String done = rig.enqueue(NewJob.of("test.other", "maren", "{}"));
        rig.store.claimNext("gone-worker", Set.of("test.other"), Duration.ofMinutes(1));
        rig.store.ack(done, "gone-worker", null);
        String retrying = rig.enqueue(NewJob.of("test.other", "maren", "{}").withRunAt(Instant.now().plusSeconds(60)));
        assertEquals(null, rig.slots.reserve(done, "maren", List.of(), 10, 10));
        assertEquals(null, rig.slots.reserve(retrying, "maren", List.of(), 10, 10));
        assertEquals(null, rig.slots.reserve("pruned-job", "maren", List.of(), 10, 10));
        rig.start();

        rig.awaitJob(rig.reap(false), job -> job.status() == JobStatus.DONE);

        assertEquals(Set.of(retrying), rig.reservations(), "a spawn still to run keeps its slot for its next attempt");
    }

    @Test
    void aDryRunListsWhatItWouldDeleteInExpiryOrderAndDeletesNothing() throws Exception {
        expiredSecondsAgo("newer", 10);
        expiredSecondsAgo("older", 1000);
        managed("not-yet", Map.of("expires-at", Long.toString(now + 600)));
        rig.start();

        Map<String, Object> result = result(rig.awaitJob(rig.reap(true), job -> job.status() == JobStatus.DONE));

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> servers = (List<Map<String, Object>>) result.get("servers");
        assertEquals(List.of("older", "newer"), servers.stream().map(s -> s.get("name")).toList());
        servers.forEach(server -> assertEquals("would-delete", server.get("outcome")));
        assertEquals("job-older", servers.get(0).get("jobId"));
        assertEquals(2, ((Number) result.get("wouldDelete")).intValue());
        assertEquals(0, rig.sim.count("DELETE /servers/{id}"));
        assertEquals(3, remaining().size());
    }

    @Test
    void deletesRunFourAtATime() throws Exception {
        for (int i = 0; i < 10; i++) {
            expiredSecondsAgo("old-" + i, 100 + i);
        }
        rig.start();
        Duration latency = Duration.ofMillis(300);
        rig.sim.setLatency(latency);
        List<Long> deletes = Collections.synchronizedList(new ArrayList<>());
        rig.sim.addObserver(exchange -> {
            if ("DELETE /servers/{id}".equals(exchange.route())) {
                deletes.add(System.nanoTime());
            }
        });

        Map<String, Object> result = result(rig.awaitJob(rig.reap(false), job -> job.status() == JobStatus.DONE));

        assertEquals(10, ((Number) result.get("deleted")).intValue());
        // Every answer is held 300 ms after the simulator saw the request, so a client thread
        // sends at most one delete per 300 ms: the most deletes seen within any 250 ms window
        // is how many ran at once.
        List<Long> sorted = new ArrayList<>(deletes);
        Collections.sort(sorted);
        int most = 0;
        for (int i = 0; i < sorted.size(); i++) {
            int inWindow = 0;
            for (int j = i; j < sorted.size() && sorted.get(j) - sorted.get(i) < 250_000_000L; j++) {
                inWindow++;
            }
            most = Math.max(most, inWindow);
        }
        assertEquals(4, most, "deletes at once (10 to do)");
        assertEquals(10, sorted.size());
    }
}
