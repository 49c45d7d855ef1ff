package clf.server.internal.cattle.spawn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.hetzner.sim.SimServer;
import clf.protocol.WireTime;
import clf.queue.Job;
import clf.queue.JobStatus;
import clf.queue.NewJob;
import clf.server.internal.cattle.CattleRig;
import clf.server.internal.cattle.OnCattleRig;
import com.fasterxml.jackson.jr.ob.JSON;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code cattle.spawn} against the Hetzner simulator with faults: 429 bursts, 5xx, lost
 * answers, slow boots, cancels, crashes of earlier attempts (a server already carrying the
 * job's label) and the capacity limits. Every test checks the one thing that costs money: how
 * many servers each job leaves.
 */
class SpawnHandlerTest extends OnCattleRig {

    static Map<String, Object> server(Job done) throws Exception {
        @SuppressWarnings("unchecked")
        Map<String, Object> server = (Map<String, Object>) JSON.std.mapFrom(done.resultJson()).get("server");
        return server;
    }

    /** Arms {@code action} to run when the simulator sees the spawn's capacity listing (the request before its create). */
    void beforeTheCreate(Runnable action) {
        AtomicBoolean armed = new AtomicBoolean(true);
        rig.sim.addObserver(exchange -> {
            if ("GET /servers".equals(exchange.route()) && exchange.rawQuery().contains("managed-by")
                    && armed.compareAndSet(true, false)) {
                action.run();
            }
        });
    }

    @Test
    void aSpawnMakesOneLabelledServerAndIsDoneWhenItRuns() throws Exception {
        rig.start();
        String id = rig.spawn("maren", 3);

        Job done = rig.awaitJob(id, job -> job.status() == JobStatus.DONE);

        Map<String, Object> server = server(done);
        assertEquals("running", server.get("status"));
        assertEquals(3600, ((Number) server.get("ttlSeconds")).intValue());
        List<SimServer> servers = rig.serversOf(id);
        assertEquals(1, servers.size(), "one server per job: " + rig.sim.servers());
        Map<String, String> labels = servers.get(0).labels();
        assertEquals("clf", labels.get("managed-by"));
        assertEquals("true", labels.get("cattle"));
        assertEquals("maren", labels.get("requester"));
        assertEquals("test", labels.get("team"), "CLF_CATTLE_LABELS_JSON labels are kept");
        assertEquals(1, rig.sim.count("POST /servers"));
        assertEquals(1, done.attempt());
        assertTrue(rig.reservations().contains(id), "the slot is held while the server lives");
        assertEquals(1, rig.tokenCount(id));
    }

    @Test
    void aCloudInitOverHetznersLimitFailsTheJobOnItsFirstAttemptWithoutAServer() throws Exception {
        rig.start();
        // Stored past the bot API (which refuses it at enqueue): a job from before that check.
        String payload = CattleRig.spawnPayload("1h").replace("\"hello\"",
                "\"" + "é".repeat(clf.protocol.Task.MAX_MESSAGE_CHARS) + "\"");
        String id = rig.enqueue(NewJob.of("cattle.spawn", "maren", payload).withMaxAttempts(3));

        Job failed = rig.awaitJob(id, job -> job.status().isTerminal());

        assertEquals(JobStatus.FAILED, failed.status());
        assertEquals(1, failed.attempt(), "the same inputs make the same document: no retry");
        assertTrue(failed.lastError().startsWith("cloud-init user_data too large: "), failed.lastError());
        assertEquals(0, rig.sim.count("POST /servers"));
        assertEquals(0, rig.reservations().size(), "its slot is freed");
    }

    @Test
    void a429BurstAndServerErrorsAreRiddenOutWithOneServer() throws Exception {
        rig.start();
        rig.sim.rateLimitNext(6, Duration.ofSeconds(2));
        rig.sim.failNext(3, 500, "server_error");

        String id = rig.spawn("maren", 1);

        Job done = rig.awaitJob(id, job -> job.status() == JobStatus.DONE);
        assertEquals(1, done.attempt(), "the client absorbed the faults within one attempt");
        assertEquals(1, rig.serversOf(id).size());
        assertTrue(rig.rateLimitWaitAskedMs.get() >= 6_000,
                "each 429 was waited out as its headers said (at least 1 s): " + rig.rateLimitWaitAskedMs);
        long faults = rig.sim.exchanges().stream().filter(e -> e.status() == 429 || e.status() == 500).count();
        assertEquals(9, faults);
    }

    @Test
    void aCreateWhoseAnswerTimesOutIsAdoptedNotMadeTwice() throws Exception {
        rig.settings.requestTimeout = Duration.ofMillis(500);
        rig.start();
        rig.ensureFirewall();
        beforeTheCreate(() -> rig.sim.holdNext(1, Duration.ofMillis(1_500)));

        String id = rig.spawn("maren", 1);

        rig.awaitJob(id, job -> job.status() == JobStatus.DONE);
        assertEquals(2, rig.sim.count("POST /servers"), "the create was sent again after its answer was lost");
        assertEquals(1, rig.serversOf(id).size(), "and the second one met the first server and adopted it");
        assertTrue(rig.events(id).stream().anyMatch(e -> e.startsWith("cattle.server-created") && e.contains("adopted")),
                rig.events(id).toString());
    }

    @Test
    void aBootSlowerThanTheTimeoutIsAdoptedByTheNextAttempt() throws Exception {
        rig.settings.bootTimeout = Duration.ofSeconds(1);
        rig.sim.setBootDelay(Duration.ofMillis(1_600));
        rig.start();

        String id = rig.spawn("maren", 2);

        Job done = rig.awaitJob(id, job -> job.status() == JobStatus.DONE);
        assertEquals(2, done.attempt());
        assertTrue(rig.hasEvent(id, "cattle.server-adopted"), rig.events(id).toString());
        assertEquals(1, rig.sim.count("POST /servers"));
        assertEquals(1, rig.serversOf(id).size());
    }

    @Test
    void aLastAttemptThatTimesOutBootingDeletesItsServerBurnsItsTokenAndFreesItsSlot() throws Exception {
        rig.settings.bootTimeout = Duration.ofSeconds(1);
        rig.sim.setBootDelay(Duration.ofSeconds(30));
        rig.start();

        String id = rig.spawn("maren", 1);

        Job failed = rig.awaitJob(id, job -> job.status() == JobStatus.FAILED);
        assertTrue(failed.lastError().contains("did not reach running"), failed.lastError());
        assertEquals(List.of(), rig.liveServersOf(id), "the server was deleted");
        assertEquals(1, rig.sim.count("DELETE /servers/{id}"));
        assertTrue(rig.tokensBurned(id), "its bootstrap token can no longer be redeemed");
        assertFalse(rig.reservations().contains(id), "its capacity slot is free again");
    }

    @Test
    void aLastAttemptThatFailsOnServerErrorsAfterTheCreateDeletesItsServer() throws Exception {
        rig.start();
        AtomicBoolean armed = new AtomicBoolean(true);
        // The status polls after the create all fail: the client gives up after its 4 tries.
        rig.sim.addObserver(exchange -> {
            if ("POST /servers".equals(exchange.route()) && armed.compareAndSet(true, false)) {
                rig.sim.failNext(4, 503, "unavailable");
            }
        });

        String id = rig.spawn("maren", 1);

        Job failed = rig.awaitJob(id, job -> job.status() == JobStatus.FAILED);
        assertTrue(failed.lastError().contains("503"), failed.lastError());
        assertEquals(List.of(), rig.liveServersOf(id));
        assertEquals(1, rig.sim.count("DELETE /servers/{id}"));
        assertTrue(rig.tokensBurned(id));
        assertFalse(rig.reservations().contains(id));
    }

    @Test
    void aFailedAttemptWithAttemptsLeftKeepsItsServerForTheNext() throws Exception {
        rig.start();
        AtomicBoolean armed = new AtomicBoolean(true);
        rig.sim.addObserver(exchange -> {
            if ("POST /servers".equals(exchange.route()) && armed.compareAndSet(true, false)) {
                rig.sim.failNext(4, 503, "unavailable");
            }
        });

        String id = rig.spawn("maren", 2);

        Job done = rig.awaitJob(id, job -> job.status() == JobStatus.DONE);
        assertEquals(2, done.attempt());
        assertEquals(1, rig.sim.count("POST /servers"));
        assertEquals(0, rig.sim.count("DELETE /servers/{id}"));
        assertEquals(1, rig.liveServersOf(id).size());
    }

    @Test
    void cancelOfABootingSpawnDeletesTheServerItMade() throws Exception {
        rig.sim.setBootDelay(Duration.ofSeconds(30));
        rig.start();
        String id = rig.spawn("maren", 3);
        rig.await(() -> rig.hasEvent(id, "cattle.server-created"), Duration.ofSeconds(10), () -> rig.events(id).toString());

        rig.store.cancel(id);

        rig.awaitJob(id, job -> job.status() == JobStatus.CANCELED);
        assertEquals(List.of(), rig.liveServersOf(id));
        assertTrue(rig.hasEvent(id, "cattle.server-deleted"), rig.events(id).toString());
        assertTrue(rig.tokensBurned(id));
        assertFalse(rig.reservations().contains(id));
    }

    @Test
    void cancelWhileTheCreateIsInFlightStillDeletesTheServer() throws Exception {
        rig.start();
        rig.ensureFirewall();
        // The create's answer is held; the cancel comes while the worker waits for it.
        beforeTheCreate(() -> rig.sim.holdNext(1, Duration.ofMillis(1_500)));
        rig.sim.addObserver(exchange -> {
            Matcher job = Pattern.compile("\"clf-job-id\":\"([^\"]+)\"").matcher(exchange.requestBody());
            if ("POST /servers".equals(exchange.route()) && job.find()) {
                rig.store.cancel(job.group(1));
            }
        });

        String id = rig.spawn("maren", 3);

        rig.awaitJob(id, job -> job.status() == JobStatus.CANCELED);
        assertEquals(1, rig.sim.count("POST /servers"));
        assertEquals(List.of(), rig.liveServersOf(id), "the server the interrupted create made is deleted");
        assertTrue(rig.tokensBurned(id));
        assertFalse(rig.reservations().contains(id));
    }

    @Test
    void aCancelThatComesAsTheServerRunsStillDeletesItAndTheSpawnIsNeverDone() throws Exception {
        rig.start();
        // Recorded in the store only (no signal to the pool) as the status poll answers "running":
        // the handler may return its result before anything tells it of the cancel.
        AtomicBoolean armed = new AtomicBoolean(true);
        rig.sim.addObserver(exchange -> {
            Matcher job = Pattern.compile("\"clf-job-id\":\"([^\"]+)\"").matcher(exchange.responseBody());
            if ("GET /servers/{id}".equals(exchange.route()) && exchange.responseBody().contains("\"status\":\"running\"")
                    && job.find() && armed.compareAndSet(true, false)) {
                rig.store.cancel(job.group(1));
            }
        });

        String id = rig.spawn("maren", 3);

        Job canceled = rig.awaitJob(id, job -> job.status().isTerminal());
        assertEquals(JobStatus.CANCELED, canceled.status(), rig.events(id).toString());
        assertFalse(armed.get(), "the cancel came as the server ran");
        rig.await(() -> rig.serversOf(id).isEmpty(), Duration.ofSeconds(5), () -> "left: " + rig.serversOf(id));
        List<String> types = rig.store.events(id).stream().map(event -> event.type()).toList();
        assertTrue(types.indexOf("cancel-requested") < types.indexOf("cattle.server-deleted")
                && types.indexOf("cattle.server-deleted") < types.indexOf("cancel"), types.toString());
        assertTrue(rig.tokensBurned(id));
        assertFalse(rig.reservations().contains(id));
    }

    @Test
    void anAttemptThatFindsItsJobsServerAdoptsItInsteadOfMakingASecond() throws Exception {
        String id = rig.spawn("maren", 3); // queued: no workers yet
        long expires = Instant.now().plusSeconds(3600).getEpochSecond();
        SimServer earlier = rig.sim.addServer("cattle-rex-earlier", Map.of("managed-by", "clf", "cattle", "true",
                "clf-job-id", id, "requester", "maren", "expires-at", Long.toString(expires)));
        rig.start();
        rig.pool.wake();

        Job done = rig.awaitJob(id, job -> job.status() == JobStatus.DONE);

        assertEquals(Long.toString(earlier.id()), server(done).get("id"));
        assertEquals(0, rig.sim.count("POST /servers"));
        assertTrue(rig.hasEvent(id, "cattle.server-adopted"), rig.events(id).toString());
    }

    @Test
    void aServerDeletedWhileBootingIsNotMadeAgain() throws Exception {
        // The reaper deletes a server whose TTL passed even while its spawn still waits for it.
        rig.sim.setBootDelay(Duration.ofSeconds(30));
        rig.start();
        String id = rig.spawn("maren", 3);
        rig.await(() -> rig.serversOf(id).size() == 1, Duration.ofSeconds(10), () -> rig.events(id).toString());

        rig.hetzner.deleteServer(rig.serversOf(id).get(0).id());

        Job failed = rig.awaitJob(id, job -> job.status() == JobStatus.FAILED);
        assertTrue(failed.lastError().contains("disappeared while booting"), failed.lastError());
        assertEquals(1, failed.attempt(), "no second attempt");
        assertEquals(1, rig.sim.count("POST /servers"), "one server per spawn, ever");
        assertFalse(rig.reservations().contains(id));
    }

    @Test
    void anAttemptWhoseEarlierServerIsGoneMakesNoOther() throws Exception {
        String id = rig.spawn("maren", 3); // queued: no workers yet
        // What an earlier attempt left: its server, since reaped once its TTL passed.
        rig.store.recordEvent(id, "cattle.server-created", "server 4242 cattle-rex-earlier");
        rig.start();
        rig.pool.wake();

        Job failed = rig.awaitJob(id, job -> job.status() == JobStatus.FAILED);

        assertTrue(failed.lastError().startsWith("server 4242 cattle-rex-earlier, made for this job by attempt 0, is gone"),
                failed.lastError());
        assertEquals(0, rig.sim.count("POST /servers"));
        assertFalse(rig.reservations().contains(id), "its capacity slot is free");
    }

    @Test
    void aCreateWhoseAskedExpiryHasPassedIsNotAskedAgain() throws Exception {
        // Earlier attempts asked Hetzner for a server and died before the answer came.
        String expired = rig.enqueue(NewJob.of("cattle.spawn", "maren", CattleRig.spawnPayload("1s")).withMaxAttempts(3));
        String recent = rig.enqueue(NewJob.of("cattle.spawn", "maren", CattleRig.spawnPayload("1h")).withMaxAttempts(3));
        rig.store.recordEvent(expired, "cattle.server-requested", "server cattle-rex-expired expiring "
                + WireTime.format(Instant.now().minusSeconds(1)));
        rig.store.recordEvent(recent, "cattle.server-requested", "server cattle-rex-recent expiring "
                + WireTime.format(Instant.now().plusSeconds(3600)));
        rig.start();
        rig.pool.wake();

        Job failed = rig.awaitJob(expired, job -> job.status() == JobStatus.FAILED);
        Job done = rig.awaitJob(recent, job -> job.status() == JobStatus.DONE);

        assertTrue(failed.lastError().startsWith("the TTL of 1s ran out before the server was running"),
                failed.lastError());
        assertEquals(List.of(), rig.serversOf(expired), "the reaper may have deleted what it asked for: none is made");
        assertEquals(1, rig.serversOf(recent).size(), "before its expiry, a lost create is simply asked again");
        assertEquals(Long.toString(rig.serversOf(recent).get(0).id()), server(done).get("id"));
    }

    @Test
    void aCreateIsRecordedWithTheExpiryItsLabelCarries() throws Exception {
        rig.start();
        String id = rig.spawn("maren", 3);

        rig.awaitJob(id, job -> job.status() == JobStatus.DONE);

        long label = Long.parseLong(rig.serversOf(id).get(0).labels().get("expires-at"));
        List<String> asked = rig.events(id).stream().filter(e -> e.startsWith("cattle.server-requested: ")).toList();
        assertEquals(List.of("cattle.server-requested: server " + rig.serversOf(id).get(0).name() + " expiring "
                + WireTime.format(Instant.ofEpochSecond(label))), asked, "the instant the reaper may delete it from");
    }

    @Test
    void maxInstancesCountsTheServersAlreadyThere() throws Exception {
        rig.settings.maxInstances = 2;
        rig.start();
        rig.sim.addServer("other-1", Map.of("managed-by", "clf", "cattle", "true"));
        rig.sim.addServer("other-2", Map.of("managed-by", "clf", "cattle", "true"));

        String id = rig.spawn("maren", 1);

        Job failed = rig.awaitJob(id, job -> job.status() == JobStatus.FAILED);
        assertEquals("max instances reached (2/2)", failed.lastError());
        assertEquals(0, rig.sim.count("POST /servers"));
        assertFalse(rig.reservations().contains(id));
    }

    @Test
    void thePerRequesterCapHoldsForRequesterNamesThatAreNotLabelSlugs() throws Exception {
        rig.settings.maxPerRequester = 1;
        rig.start();
        String first = rig.spawn("maren_bot", 1);
        rig.awaitJob(first, job -> job.status() == JobStatus.DONE);

        String second = rig.spawn("maren_bot", 1);
        String other = rig.spawn("maren-bot", 1);

        Job refused = rig.awaitJob(second, job -> job.status() == JobStatus.FAILED);
        assertTrue(refused.lastError().startsWith("max instances per requester reached for maren_bot (1/1)"),
                refused.lastError());
        rig.awaitJob(other, job -> job.status() == JobStatus.DONE);
        assertEquals("maren_bot", rig.serversOf(first).get(0).labels().get("requester"));
    }

    @Test
    void spawnsBootSideBySideWithoutALock() throws Exception {
        Duration boot = Duration.ofMillis(1_500);
        rig.sim.setBootDelay(boot);
        rig.settings.workers = 5;
        rig.start();
        rig.ensureFirewall();
        List<Long> creates = Collections.synchronizedList(new ArrayList<>());
        rig.sim.addObserver(exchange -> {
            if ("POST /servers".equals(exchange.route())) {
                creates.add(System.nanoTime());
            }
        });
        long start = System.nanoTime();

        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(rig.spawn("r" + i, 1));
        }
        for (String id : ids) {
            rig.awaitJob(id, job -> job.status() == JobStatus.DONE);
        }

        long wallMs = CattleRig.millisSince(start);
        long spreadMs = (Collections.max(creates) - Collections.min(creates)) / 1_000_000;
        assertEquals(5, creates.size());
        assertTrue(spreadMs < boot.toMillis(), "all five were created before the first one booted: " + spreadMs + " ms");
        assertTrue(wallMs < 2 * boot.toMillis(), "five boots took " + wallMs + " ms, one takes " + boot.toMillis());
    }
}
