package clf.server.internal.cattle.reap;

import clf.hetzner.DeleteOutcome;
import clf.hetzner.HetznerClient;
import clf.hetzner.Server;
import clf.protocol.JobKind;
import clf.protocol.ReapPayload;
import clf.protocol.WireTime;
import clf.queue.JobStatus;
import clf.server.internal.cattle.CattleRuntime;
import clf.server.internal.cattle.TaskEvents;
import clf.server.internal.cattle.fleet.CattleServerJson;
import clf.server.internal.cattle.fleet.Labels;
import clf.server.internal.worker.JobContext;
import clf.server.internal.worker.JobHandler;
import com.fasterxml.jackson.jr.ob.JSON;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code cattle.reap}: deletes cattle servers whose {@code expires-at} label has passed, managed
 * servers without a readable one once they are older than the maximum TTL, and, with
 * {@code CLF_CATTLE_DELETE_ON_FINISH}, servers whose agent reported the task finished (the report
 * enqueues a reap at once; the periodic one catches what that missed). With
 * {@code CLF_CATTLE_ADOPT_LEGACY=1} the original implementation's servers are among them
 * ({@link clf.server.internal.cattle.fleet.LegacyFleet}): their labels have the same shape. Each server
 * gets its own outcome (deleted, already gone, failed and why); one failure does not lose the
 * others. A dry run reports what it would delete. Deletes run four at a time.
 *
 * <p>A bot's reap covers only its own servers ({@link ReapScope}) and its calls wait while the
 * rate limit is under the reserve; the daemon's and operators' reaps cover the fleet and their
 * calls are essential: they may spend the reserve.
 */
public final class ReapHandler implements JobHandler {
    /** Recorded on the spawn job whose server a reap deleted (or found gone). */
    public static final String SERVER_DELETED = "cattle.server-deleted";

    private static final int PARALLEL_DELETES = 4;
    /** A capacity reservation with no server this long after it was made is stale, even if its job still runs. */
    private static final Duration STALE_RESERVATION = Duration.ofHours(1);

    private final CattleRuntime cattle;

    public ReapHandler(CattleRuntime cattle) {
        this.cattle = cattle;
    }

    @Override
    public String kind() {
        return JobKind.CATTLE_REAP.wireName();
    }

    /** @param why "expired", or what became of the job that made it */
    private record Candidate(Server server, Instant expiresAt, String why) {
    }

    @Override
    public String run(JobContext context) throws Exception {
        ReapPayload payload = ReapPayload.fromJson(JSON.std.anyFrom(context.job().payloadJson()));
        Instant now = cattle.clock().instant();
        String owner = ReapScope.ownerOf(context.job(), payload);
        // The daemon's own clean-up may spend the rate-limit reserve; a bot's reap waits under it.
        HetznerClient hetzner = owner == null ? cattle.hetzner().essential() : cattle.hetzner();
        List<Server> managed = hetzner.listServers(ReapScope.selector(cattle.legacy().selector(), owner)).stream()
                .filter(server -> owner == null || owner.equals(server.labels().get(Labels.REQUESTER)))
                .toList();
        List<Candidate> expired = new ArrayList<>();
        for (Server server : managed) {
            Instant created = CattleServerJson.labelTime(server, Labels.CREATED_AT, server.created());
            Instant fallback = created.plus(cattle.maxTtl());
            Instant expiresAt = CattleServerJson.labelTime(server, Labels.EXPIRES_AT, fallback);
            if (!expiresAt.isAfter(now)) {
                expired.add(new Candidate(server, expiresAt, "expired"));
            } else {
                orphanReason(server).ifPresent(why -> expired.add(new Candidate(server, expiresAt, why)));
            }
        }
        expired.sort(Comparator.comparing(Candidate::expiresAt).thenComparing(c -> c.server().id()));
        context.checkpoint();
        List<Map<String, Object>> outcomes = payload.dryRun() ? wouldDelete(expired)
                : delete(context, hetzner, expired);
        long failed = outcomes.stream().filter(o -> "failed".equals(o.get("outcome"))).count();
        if (!payload.dryRun() && owner == null) {
            // Only a fleet-wide reap saw every server, so only it may tell which reservations have none.
            Set<String> alive = new HashSet<>();
            managed.forEach(server -> alive.add(server.labels().getOrDefault(Labels.JOB_ID, "")));
            outcomes.stream().filter(o -> !"failed".equals(o.get("outcome")))
                    .forEach(o -> alive.remove(String.valueOf(o.get("jobId"))));
            cattle.slots().releaseUnused(alive, this::spawnEnded, STALE_RESERVATION);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("dryRun", payload.dryRun());
        result.put("checked", managed.size());
        if (payload.dryRun()) {
            result.put("wouldDelete", outcomes.size());
        } else {
            result.put("deleted", outcomes.stream().filter(o -> "deleted".equals(o.get("outcome"))).count());
            result.put("alreadyGone", outcomes.stream().filter(o -> "already-gone".equals(o.get("outcome"))).count());
            result.put("failed", failed);
        }
        result.put("servers", outcomes);
        return JSON.std.asString(result);
    }

    /**
     * Why a server whose TTL has not passed must still go: the spawn job that made it failed or
     * was canceled without deleting it (its worker died and the lease sweep ended the job, or its
     * cleanup failed). Such a server is never adopted again. A job that is gone (pruned) or still
     * running says nothing; the TTL decides then.
     */
    private Optional<String> orphanReason(Server server) {
        String jobId = server.labels().get(Labels.JOB_ID);
        if (jobId == null) {
            return Optional.empty();
        }
        Optional<String> ended = cattle.jobs().get(jobId)
                .filter(job -> job.status() == JobStatus.FAILED || job.status() == JobStatus.CANCELED)
                .map(job -> "its spawn job " + job.status().wireName());
        if (ended.isPresent() || !cattle.config().deleteOnFinish()) {
            return ended;
        }
        // CLF_CATTLE_DELETE_ON_FINISH: the VM's agent reported its task's end (issue 13 §2).
        return TaskEvents.last(cattle.jobs().events(jobId))
                .filter(event -> event.type().equals(TaskEvents.FINISHED))
                .map(event -> "its task finished");
    }

    /** Whether the spawn job holding a capacity slot can no longer make a server: it ended, or is gone. */
    private boolean spawnEnded(String jobId) {
        return cattle.jobs().get(jobId).map(job -> job.status().isTerminal()).orElse(true);
    }

    private static List<Map<String, Object>> wouldDelete(List<Candidate> expired) {
        List<Map<String, Object>> outcomes = new ArrayList<>();
        for (Candidate candidate : expired) {
            Map<String, Object> outcome = describe(candidate);
            outcome.put("outcome", "would-delete");
            outcomes.add(outcome);
        }
        return outcomes;
    }

    private List<Map<String, Object>> delete(JobContext context, HetznerClient hetzner, List<Candidate> expired)
            throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL_DELETES, task -> {
            Thread thread = new Thread(task, "clf-reap");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<Map<String, Object>>> futures = new ArrayList<>();
            for (Candidate candidate : expired) {
                futures.add(pool.submit(context.onItsBehalf(() -> deleteOne(hetzner, candidate))));
            }
            List<Map<String, Object>> outcomes = new ArrayList<>();
            for (Future<Map<String, Object>> future : futures) {
                try {
                    outcomes.add(future.get());
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException("reap worker failed: " + e.getCause(), e.getCause());
                }
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
        }
    }

    private Map<String, Object> deleteOne(HetznerClient hetzner, Candidate candidate) {
        Map<String, Object> outcome = describe(candidate);
        Server server = candidate.server();
        try {
            DeleteOutcome deleted = hetzner.deleteServer(server.id());
            outcome.put("outcome", deleted == DeleteOutcome.ALREADY_GONE ? "already-gone" : "deleted");
            String jobId = server.labels().get(Labels.JOB_ID);
            if (jobId != null) {
                cattle.slots().release(jobId);
                // The end of the server's life, in the history of the spawn that made it (a pruned job has none).
                recordDeleted(jobId, server, outcome.get("outcome"));
            }
            cattle.log().info("cattle.server-reaped", "server", server.id(), "name", server.name(),
                    "expired", WireTime.format(candidate.expiresAt()), "outcome", outcome.get("outcome"));
        } catch (RuntimeException e) {
            outcome.put("outcome", "failed");
            outcome.put("reason", e.getMessage());
            cattle.log().error("cattle.reap-failed", "server", server.id(), "name", server.name(), "error", e.getMessage());
        }
        return outcome;
    }

    private void recordDeleted(String jobId, Server server, Object outcome) {
        try {
            cattle.jobs().recordEvent(jobId, SERVER_DELETED, "server " + server.id() + " " + server.name() + " "
                    + outcome + " (reap)");
        } catch (RuntimeException e) {
            cattle.log().warn("cattle.server-deleted-event-lost", "job", jobId, "error", e.getMessage());
        }
    }

    private static Map<String, Object> describe(Candidate candidate) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", Long.toString(candidate.server().id()));
        json.put("name", candidate.server().name());
        json.put("jobId", candidate.server().labels().getOrDefault(Labels.JOB_ID, ""));
        json.put("expiresAt", WireTime.format(candidate.expiresAt()));
        json.put("why", candidate.why());
        return json;
    }
}
