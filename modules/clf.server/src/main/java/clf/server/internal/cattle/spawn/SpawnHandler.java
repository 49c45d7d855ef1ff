package clf.server.internal.cattle.spawn;

import clf.hetzner.CreatedServer;
import clf.hetzner.HetznerApiException;
import clf.hetzner.Server;
import clf.hetzner.ServerSpec;
import clf.hetzner.ServerStatus;
import clf.protocol.InvalidInputException;
import clf.protocol.JobKind;
import clf.protocol.SpawnPayload;
import clf.protocol.Ttl;
import clf.protocol.WireTime;
import clf.queue.Job;
import clf.queue.JobEvent;
import clf.secrets.IssuedToken;
import clf.secrets.ProviderEnv;
import clf.secrets.Secret;
import clf.secrets.TokenGrant;
import clf.server.internal.cattle.CattleRuntime;
import clf.server.internal.cattle.capacity.SpawnSlots;
import clf.server.internal.cattle.catalog.CatalogCheck;
import clf.server.internal.cattle.fleet.CattleServerJson;
import clf.server.internal.cattle.fleet.Labels;
import clf.server.internal.config.CattleConfig;
import clf.server.internal.tailnet.keys.JoinKeys;
import clf.server.internal.tailnet.keys.TailscaleApiException;
import clf.server.internal.worker.JobContext;
import clf.server.internal.worker.JobHandler;
import clf.server.internal.worker.JobStopped;
import clf.server.internal.worker.PermanentFailure;
import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code cattle.spawn}: creates a Hetzner server from the cattle image carrying identity, task
 * and a one-time bootstrap token, and waits until it runs (spec §3.3–§3.8, defects fixed).
 *
 * <p>Idempotent: the server is named and labelled after the job, and every attempt first looks
 * for a server with this job's label and adopts it, so a crash between create and ack never
 * makes a second server. Capacity is reserved in {@link SpawnSlots} before creating; no lock is
 * held while a server boots, so spawns run side by side. A cancel, or a last attempt that fails,
 * deletes the server this job made. The server type, image and location are checked against
 * Hetzner's catalog first ({@link CatalogCheck#forSpawn}: one it does not offer fails the job for
 * good), and the original implementation's servers count against the limits ({@link clf.server.internal.cattle.fleet.LegacyFleet}).
 */
public final class SpawnHandler implements JobHandler {
    /** Event types of a spawn's history; a later attempt reads them (see {@link #refuseASecondServer}). */
    static final String SERVER_REQUESTED = "cattle.server-requested";
    static final String SERVER_CREATED = "cattle.server-created";
    static final String SERVER_ADOPTED = "cattle.server-adopted";
    /** Precedes the expires-at label, as a wire time, in a {@link #SERVER_REQUESTED} event. */
    private static final String EXPIRING = " expiring ";

    private final CattleRuntime cattle;
    private final SpawnUndo undo;

    public SpawnHandler(CattleRuntime cattle) {
        this.cattle = cattle;
        this.undo = new SpawnUndo(cattle);
    }

    @Override
    public String kind() {
        return JobKind.CATTLE_SPAWN.wireName();
    }

    @Override
    public String run(JobContext context) throws Exception {
        Job job = context.job();
        SpawnPayload payload;
        Duration ttl;
        try {
            payload = SpawnPayload.fromJson(JSON.std.anyFrom(job.payloadJson()));
            ttl = payload.ttl().isEmpty() ? cattle.defaultTtl() : Ttl.parse("payload.ttl", payload.ttl());
        } catch (IOException | InvalidInputException e) {
            throw new PermanentFailure("invalid cattle.spawn payload: " + e.getMessage());
        }
        if (ttl.compareTo(cattle.maxTtl()) > 0) {
            throw new PermanentFailure("payload.ttl: at most " + Ttl.format(cattle.maxTtl()) + ", got " + payload.ttl());
        }
        Identity identity = Identity.load(cattle.config().identitiesRoot(), payload.identity());
        List<List<String>> secretGroups = secretGroups(identity, payload);
        Attempt attempt = new Attempt();
        try {
            attempt.server = adoptOrCreate(context, payload, ttl, identity, secretGroups, attempt);
            attempt.server = awaitRunning(context, attempt.server);
            return JSON.std.asString(Map.of("server", CattleServerJson.of(attempt.server)));
        } catch (JobStopped stopped) {
            if (stopped.reason() == JobContext.Stop.CANCELED) {
                undo(context, attempt, "canceled");
            }
            throw stopped;
        } catch (PermanentFailure failure) {
            undo(context, attempt, "failed");
            throw failure;
        } catch (Exception failure) {
            // A stop can also surface as a failed Hetzner call (the interrupt ends the request).
            JobContext.Stop stop = context.stopReason();
            if (stop == JobContext.Stop.CANCELED) {
                undo(context, attempt, "canceled");
                context.checkpoint(); // throws: the worker then knows the cancel was seen and undone
            } else if (stop == null && job.attempt() >= job.maxAttempts()) {
                undo(context, attempt, "failed on its last attempt");
            }
            throw failure;
        }
    }

    /** The cancel came as the spawn ended: its server (found by label) must go, as on any cancel. */
    @Override
    public void undoCanceled(JobContext context, String result) {
        undo.undo(context, null, false, "canceled");
    }

    private void undo(JobContext context, Attempt attempt, String why) {
        undo.undo(context, attempt.server, attempt.createUnanswered, why);
    }

    /** What this attempt made, for {@link #undo}: its server once known, or whether a create may have made one. */
    private static final class Attempt {
        Server server;
        boolean createUnanswered;
    }

    /** Each provider's aliases, plus GITHUB_TOKEN when an operator asked for it; all must be on the control plane. */
    private List<List<String>> secretGroups(Identity identity, SpawnPayload payload) throws Exception {
        String provider;
        try {
            provider = ProviderEnv.providerOf(identity.model());
        } catch (IllegalArgumentException e) {
            throw new PermanentFailure("identity " + identity.name() + ": " + e.getMessage());
        }
        List<List<String>> groups = new ArrayList<>();
        groups.add(ProviderEnv.aliases(provider));
        if (payload.withGithubToken()) {
            groups.add(List.of("GITHUB_TOKEN"));
        }
        for (List<String> group : groups) {
            if (group.stream().allMatch(name -> cattle.secrets().get(name).isEmpty())) {
                throw new IllegalStateException("missing secret on the control plane: " + String.join(" or ", group));
            }
        }
        return groups;
    }

    private Server adoptOrCreate(JobContext context, SpawnPayload payload, Duration ttl, Identity identity,
            List<List<String>> secretGroups, Attempt attempt) throws Exception {
        Job job = context.job();
        Optional<Server> existing = cattle.hetzner().listServers(Labels.JOB_ID + "=" + job.id()).stream()
                .filter(server -> server.status() != ServerStatus.DELETING).findFirst();
        if (existing.isPresent()) {
            context.recordEvent(SERVER_ADOPTED, "server " + existing.get().id() + " " + existing.get().name()
                    + " (made by an earlier attempt)");
            return existing.get();
        }
        refuseASecondServer(job, ttl);
        // Checked before a slot is taken: a choice Hetzner does not offer fails the job for good.
        CatalogCheck.Chosen chosen = cattle.catalog().forSpawn(payload.serverType(), payload.image(), payload.location());
        List<SpawnSlots.Live> live = cattle.hetzner().listServers(cattle.legacy().selector()).stream()
                .map(server -> new SpawnSlots.Live(server.labels().get(Labels.JOB_ID),
                        server.labels().get(Labels.REQUESTER)))
                .toList();
        String refusal = cattle.slots().reserve(job.id(), job.requester(), live, cattle.config().maxInstances(),
                cattle.config().maxPerRequester());
        if (refusal != null) {
            throw new IllegalStateException(refusal);
        }
        context.checkpoint();
        CattleConfig config = cattle.config();
        long firewall = cattle.legacy().firewallId(cattle.hetzner());
        String name = Labels.serverName(identity.name(), job.id());
        Map<String, String> publicEnv = publicEnv(config, payload);
        Instant createdAt = cattle.clock().instant();
        // Whole seconds, as the label keeps it: the reaper deletes the server from this instant on.
        Instant expiresAt = Instant.ofEpochSecond(createdAt.plus(ttl).getEpochSecond());
        // The VM's report credential lives as long as its server may.
        IssuedToken token = cattle.tokens().issue(new TokenGrant(job.id(), job.requester(), name, secretGroups, publicEnv),
                config.bootstrapTtl(), expiresAt);
        Secret tailscaleKey = joinKey(name, config);
        String userData;
        try {
            userData = CloudInit.render(new CloudInit.Inputs(name, config.adminKeys(), tailscaleKey, payload.task(),
                    publicEnv, cattle.secretsBaseUrl(), token, identity));
        } catch (CloudInit.TooLarge e) {
            throw new PermanentFailure(e.getMessage()); // the same inputs make the same document every attempt
        }
        Map<String, String> labels = new LinkedHashMap<>(config.labels());
        labels.put(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE);
        labels.put(Labels.CATTLE, "true");
        labels.put(Labels.JOB_ID, job.id());
        labels.put(Labels.REQUESTER, Labels.value(job.requester(), "requester"));
        labels.put(Labels.IDENTITY, Labels.slug(identity.name(), "id"));
        labels.put(Labels.TASK_ID, Labels.slug(payload.task().taskId(), "task"));
        labels.put(Labels.CREATED_AT, Long.toString(createdAt.getEpochSecond()));
        labels.put(Labels.EXPIRES_AT, Long.toString(expiresAt.getEpochSecond()));
        context.checkpoint();
        // Before the create: should this attempt die with the answer unseen, the next one knows
        // a server may have been made, and from when the reaper may have deleted it.
        context.recordEvent(SERVER_REQUESTED, "server " + name + EXPIRING + WireTime.format(expiresAt));
        ServerSpec spec = new ServerSpec(name, chosen.serverType(), chosen.image(), chosen.location(), userData,
                labels, List.of(firewall));
        CreatedServer created;
        try {
            // Not cut short by a cancel: its answer names the server the cancel must delete.
            created = context.uninterrupted(() -> {
                attempt.createUnanswered = true;
                // Sent again after a lost answer only while the reaper cannot have deleted a
                // server the first try made: a repeat after that would make a second.
                return cattle.hetzner().createServer(spec, expiresAt);
            });
        } catch (HetznerApiException e) {
            // A 4xx is a refusal: nothing was made. A 5xx or no answer may have made the server.
            attempt.createUnanswered = e.status() >= 500;
            throw e;
        }
        attempt.createUnanswered = false;
        Server server = created.server();
        cattle.tokens().startTtlAt(job.id(), server.created());
        context.recordEvent(SERVER_CREATED, "server " + server.id() + " " + server.name()
                + (created.adopted() ? " (already existed: adopted)" : ""));
        cattle.log().info("cattle.server-created", "job", job.id(), "server", server.id(), "name", server.name(),
                "requester", job.requester(), "ttl", Ttl.format(ttl), "server_type", chosen.serverType(),
                "image", chosen.image(), "location", chosen.location());
        return server;
    }

    /**
     * The VM's tailnet join key: minted for it alone, expiring with its bootstrap token (whose
     * lifetime starts when the create answers, so the key gets that call's time on top), or the
     * static key. Tailscale's refusals that only the operator can fix fail the job for good.
     */
    private Secret joinKey(String serverName, CattleConfig config) throws Exception {
        Secret key;
        try {
            key = cattle.joinKeys().forServer(serverName, config.bootstrapTtl().plus(JoinKeys.CREATE_ALLOWANCE));
        } catch (TailscaleApiException e) {
            if (e.retryable()) {
                throw new IllegalStateException("tailnet join key not minted: " + e.getMessage());
            }
            throw new PermanentFailure("tailnet join key not minted: " + e.getMessage());
        }
        if (key == null) {
            throw new IllegalStateException("missing secret on the control plane: TAILSCALE_AUTH_KEY");
        }
        return key;
    }

    /** What the VM is told in plain text: only whether it shuts itself down, when it must not. */
    static Map<String, String> publicEnv(CattleConfig config, SpawnPayload payload) {
        boolean autoShutdown = payload.autoShutdown() == null ? config.autoShutdown() : payload.autoShutdown();
        return autoShutdown ? Map.of() : Map.of("CLAWDLETS_CATTLE_AUTO_SHUTDOWN", "0");
    }

    /**
     * A spawn makes one server, ever. When no server carries this job's label, an earlier attempt
     * may still have made one that is gone now: the reaper deleted it once its TTL passed while
     * this job was retrying, or someone deleted it outside clf. Another server would outlive the
     * lifetime the bot asked for, so the job fails instead when an earlier attempt saw its server,
     * or asked Hetzner for one whose expires-at has passed (that create's answer may have been
     * lost, and the reaper may have deleted what it made: it reaps from that very second).
     */
    private void refuseASecondServer(Job job, Duration ttl) throws PermanentFailure {
        List<JobEvent> history = cattle.jobs().events(job.id());
        for (JobEvent event : history) {
            if (event.type().equals(SERVER_CREATED) || event.type().equals(SERVER_ADOPTED)) {
                throw new PermanentFailure(event.message().replaceFirst(" \\(.*", "") + ", made for this job by attempt "
                        + event.attempt() + ", is gone (deleted after its TTL passed, or outside clf); a spawn makes one "
                        + "server only");
            }
        }
        Optional<Instant> lastAsked = history.stream().filter(event -> event.type().equals(SERVER_REQUESTED))
                .map(SpawnHandler::askedExpiry).reduce((earlier, later) -> later);
        if (lastAsked.isPresent() && !cattle.clock().instant().isBefore(lastAsked.get())) {
            throw new PermanentFailure("the TTL of " + Ttl.format(ttl) + " ran out before the server was running; "
                    + "the server an earlier attempt asked Hetzner for may have been made and reaped since, so no "
                    + "other is made");
        }
    }

    /**
     * The expires-at label a create asked for, from its {@link #SERVER_REQUESTED} event. Only this
     * class writes those; one it cannot read counts as expired when it was written, so it errs on
     * the side of no second server.
     */
    private static Instant askedExpiry(JobEvent requested) {
        int at = requested.message().lastIndexOf(EXPIRING);
        if (at >= 0) {
            try {
                return WireTime.parse("event", requested.message().substring(at + EXPIRING.length()));
            } catch (InvalidInputException e) {
                // falls through
            }
        }
        return requested.at();
    }

    private Server awaitRunning(JobContext context, Server server) throws Exception {
        Instant deadline = cattle.clock().instant().plus(cattle.config().bootTimeout());
        Server current = server;
        while (current.status() != ServerStatus.RUNNING) {
            context.checkpoint();
            if (cattle.clock().instant().isAfter(deadline)) {
                throw new IllegalStateException("server " + current.id() + " did not reach running within "
                        + Ttl.format(cattle.config().bootTimeout()) + " (last status " + current.status().wire() + ")");
            }
            try {
                Thread.sleep(cattle.config().statusPoll().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                context.checkpoint();
            }
            long id = current.id();
            Optional<Server> seen = cattle.hetzner().getServer(id);
            if (seen.isEmpty()) {
                // Reaped once its TTL passed, or deleted outside clf: another attempt must not make a second.
                throw new PermanentFailure("server " + id + " " + current.name() + " disappeared while booting "
                        + "(deleted after its TTL passed, or outside clf); a spawn makes one server only");
            }
            current = seen.get();
        }
        context.recordEvent("cattle.server-running", "server " + current.id() + " " + current.name() + " "
                + current.ipv4());
        return current;
    }
}
