package clf.server.internal.http;

import clf.protocol.ApiException;
import clf.protocol.EnqueueRequest;
import clf.protocol.ErrorCode;
import clf.protocol.Health;
import clf.protocol.InvalidInputException;
import clf.protocol.JobKind;
import clf.protocol.Protocol;
import clf.protocol.Ttl;
import clf.protocol.WireStatus;
import clf.queue.CancelResult;
import clf.queue.EnqueueResult;
import clf.queue.EnqueueRules;
import clf.queue.Job;
import clf.queue.JobPage;
import clf.queue.JobQuery;
import clf.queue.JobStatus;
import clf.queue.JobStore;
import clf.queue.NewJob;
import clf.queue.QuotaExceededException;
import clf.queue.StoreException;
import clf.server.internal.auth.Caller;
import clf.server.internal.cattle.TaskEvents;
import clf.server.internal.cattle.reap.ReapScope;
import clf.server.internal.cattle.spawn.SpawnAdmission;
import clf.server.internal.config.RequesterLimits;
import clf.server.internal.log.Log;
import clf.server.internal.status.PrometheusText;
import clf.server.internal.status.StatusGatherer;
import clf.server.internal.unix.Connections;
import clf.server.internal.web.RouteTable;
import clf.server.internal.web.V1Errors;
import clf.server.internal.web.WorkerHandoff;
import clf.server.internal.wire.Statuses;
import com.fasterxml.jackson.jr.ob.JSON;
import io.undertow.io.Receiver;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RequestTooBigException;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The bot API, protocol v1, on the Unix socket: {@link #ROUTES} lists what it answers. Every
 * handler runs off the IO thread (it waits for SQLite) and answers JSON; every refusal goes
 * through {@link #reply} and {@link ErrorCode}'s one table of codes to statuses.
 */
public final class BotApi implements HttpHandler {
    /** What a route does with a request; the bot API's state comes in as {@code api}. */
    @FunctionalInterface
    interface Handler {
        Reply handle(BotApi api, Request request) throws IOException;
    }

    /**
     * A routed request: the caller (null for the paths anyone may read), the decoded query, the
     * template's {@code {name}} values, and an enqueue's body.
     */
    record Request(Caller caller, Map<String, String> query, Map<String, String> parameters, byte[] body) {
        String jobId() {
            return parameters.get("jobId");
        }
    }

    /** Every route of the bot API. A known path with another method is 405 with these methods in {@code Allow}. */
    static final RouteTable<Handler> ROUTES = RouteTable.<Handler>builder()
            // Health and figures: any caller of the socket may read them (they hold nothing per requester).
            .get(Protocol.HEALTH, (api, request) -> api.health())
            .get(Protocol.METRICS, (api, request) -> api.metrics())
            .get(Protocol.STATUS, (api, request) -> Reply.ok(api.status.gather().toJson()))
            // Jobs: a bot or an operator only (see jobsPath).
            .get(Protocol.JOBS, (api, request) -> api.list(request.caller(), request.query()))
            .post(Protocol.ENQUEUE, (api, request) -> api.enqueue(request.caller(), request.body()))
            .get("/v1/jobs/{jobId}", (api, request) -> api.show(request.caller(), request.jobId(), request.query()))
            .post("/v1/jobs/{jobId}/cancel", (api, request) -> api.cancel(request.caller(), request.jobId()))
            .get("/v1/jobs/{jobId}/events", (api, request) -> api.events(request.caller(), request.jobId()))
            .build();

    /** Writes null map values too: v1 clients read {@code "nextCursor": null} as "no more pages". */
    private static final JSON JSON_WRITER = JSON.std.with(JSON.Feature.WRITE_NULL_PROPERTIES);
    private static final String JSON_CONTENT_TYPE = "application/json";

    private final JobStore store;
    private final Connections connections;
    private final Access access;
    private final SpawnAdmission admission;
    private final Consumer<String> cancelRequested;
    private final StatusGatherer status;
    private final RequesterLimits limits;
    private final EnqueueRate rate;
    private final boolean localStore;
    private final Clock clock;
    private final Log log;

    /**
     * @param cancelRequested told the id of a running job whose cancel was just recorded, so that
     *                        a handler of this process stops at once
     * @param status          health and figures for /healthz, /v1/status and /metrics
     * @param limits          what one bot may ask of the queue
     * @param rate            each bot's enqueue rate (of {@code limits}): this host's, or the fleet's
     * @param localStore      the store is this host's SQLite file, so shows and lists may be
     *                        answered on the IO thread ({@link #answeredOnIoThread})
     */
    public BotApi(JobStore store, Connections connections, boolean trustRequester, SpawnAdmission admission,
            Consumer<String> cancelRequested, StatusGatherer status, RequesterLimits limits,
            EnqueueRate rate, boolean localStore, Clock clock, Log log) {
        this.store = store;
        this.connections = connections;
        this.access = new Access(trustRequester);
        this.admission = admission;
        this.cancelRequested = cancelRequested;
        this.status = status;
        this.limits = limits;
        this.rate = rate;
        this.localStore = localStore;
        this.clock = clock;
        this.log = log;
    }

    /**
     * On the IO thread: reads an enqueue body without blocking (so clients that stall mid-body
     * hold no worker thread), then replies through {@link WorkerHandoff}. The enqueue is the one
     * route with a body; any other request's body is left to Undertow to drain or drop.
     */
    @Override
    public void handleRequest(HttpServerExchange exchange) {
        if (Protocol.ENQUEUE.equals(exchange.getRequestPath()) && Methods.POST.equals(exchange.getRequestMethod())) {
            long declared = exchange.getRequestContentLength();
            if (declared > Protocol.MAX_REQUEST_BYTES) {
                send(exchange, failure(ErrorCode.TOO_LARGE, "request body too large (" + declared + " bytes; limit "
                        + Protocol.MAX_REQUEST_BYTES + ")"));
                return;
            }
            Receiver receiver = exchange.getRequestReceiver();
            receiver.setMaxBufferSize(Protocol.MAX_REQUEST_BYTES);
            receiver.receiveFullBytes(
                    (ex, body) -> WorkerHandoff.reply(ex, () -> reply(ex, body), reply -> send(ex, reply)),
                    (ex, error) -> send(ex, error instanceof RequestTooBigException
                            ? failure(ErrorCode.TOO_LARGE, "request body too large (over " + Protocol.MAX_REQUEST_BYTES
                                    + " bytes)")
                            : failure(ErrorCode.INVALID_INPUT, "request body incomplete: the connection ended early")));
            return;
        }
        if (localStore && answeredOnIoThread(exchange)) {
            send(exchange, reply(exchange, null));
            return;
        }
        WorkerHandoff.reply(exchange, () -> reply(exchange, null), reply -> send(exchange, reply));
    }

    /**
     * A show or list: one index seek on a pooled reader, which a writer never blocks (WAL), and
     * a few tens of microseconds of JSON. Handing those to a worker thread and back cost more
     * than the work (two thread wake-ups a request), so the IO thread answers them itself.
     * This holds for the local SQLite store only: the fleet's PostgreSQL is a network round trip
     * away, which would stall every connection this IO thread serves, so there they hand off.
     */
    static boolean answeredOnIoThread(HttpServerExchange exchange) {
        if (!Methods.GET.equals(exchange.getRequestMethod())) {
            return false;
        }
        String path = exchange.getRequestPath();
        if (path.equals(Protocol.JOBS)) {
            return true;
        }
        int id = Protocol.JOBS.length() + 1;
        return path.length() > id && path.startsWith(Protocol.JOBS) && path.charAt(id - 1) == '/'
                && path.indexOf('/', id) < 0;
    }

    /** What to answer: the route's reply, or the one refusal every failure maps to. */
    private Reply reply(HttpServerExchange exchange, byte[] body) {
        try {
            return route(exchange, body);
        } catch (ApiException e) {
            return failure(e.code(), e.getMessage());
        } catch (InvalidInputException e) {
            return failure(ErrorCode.INVALID_INPUT, e.getMessage());
        } catch (QuotaRefusal e) {
            Map<String, Object> limit = new LinkedHashMap<>();
            limit.put("variable", e.variable());
            limit.put("value", e.limit());
            limit.put("unit", e.unit());
            Reply refused = new Reply(ErrorCode.QUOTA_EXCEEDED.httpStatus(),
                    V1Errors.body(ErrorCode.QUOTA_EXCEEDED, e.getMessage(), Map.of("limit", limit)), null,
                    JSON_CONTENT_TYPE);
            return e.retryAfterSeconds() > 0 ? refused.withRetryAfter(e.retryAfterSeconds()) : refused;
        } catch (StoreException e) {
            String id = incidentId();
            log.error("bot-api.store-unavailable", "incident", id, "reason", e.reason(), "error", e.getMessage());
            String why = e.reason() == StoreException.Reason.DISK_FULL
                    ? "the job store's disk is full (an operator must free space); try again later"
                    : "the job store is unavailable; try again later";
            return failure(ErrorCode.UNAVAILABLE, why + " (incident " + id + ")");
        } catch (RuntimeException | IOException e) {
            String id = incidentId();
            log.error("bot-api.internal-error", "incident", id, "error", e.toString(),
                    "at", e.getStackTrace().length > 0 ? e.getStackTrace()[0].toString() : "?");
            return failure(ErrorCode.INTERNAL, "internal error (incident " + id + ")");
        }
    }

    private Reply route(HttpServerExchange exchange, byte[] body) throws IOException {
        RequestTarget target = RequestTarget.parse(exchange.getRequestPath(), exchange.getQueryString());
        // Before the route, as v1 did: a caller that is no bot or operator learns nothing under /v1/jobs.
        Caller caller = jobsPath(target.segments()) ? callerOf(exchange) : null;
        RouteTable.Match<Handler> match = ROUTES.match(exchange.getRequestMethod(), target.segments());
        if (match instanceof RouteTable.Found<Handler> found) {
            return found.handler().handle(this, new Request(caller, target.query(), found.parameters(), body));
        } else if (match instanceof RouteTable.WrongMethod<Handler> wrong) {
            return failure(ErrorCode.METHOD_NOT_ALLOWED, "method " + exchange.getRequestMethod() + " not allowed on "
                    + exchange.getRequestPath() + "; use " + wrong.allow().replace(", ", " or ")).withAllow(wrong.allow());
        }
        throw new ApiException(ErrorCode.NOT_FOUND, "not found: " + exchange.getRequestPath());
    }

    private static boolean jobsPath(List<String> segments) {
        return segments.size() >= 2 && segments.get(0).equals("v1") && segments.get(1).equals("jobs");
    }

    private Caller callerOf(HttpServerExchange exchange) {
        Caller caller = connections.callerOf(exchange);
        if (caller == null) {
            throw new ApiException(ErrorCode.FORBIDDEN, "caller unknown: requests must come through the bot socket");
        }
        access.requireBotOrOperator(caller);
        return caller;
    }

    // ------------------------------------------------------------------ routes

    /** v1's {@code {"ok":true}} when well, with what each check saw; 503 and {@code "ok":false} when not. */
    private Reply health() {
        Health health = status.health();
        return new Reply(health.ok() ? 200 : ErrorCode.UNAVAILABLE.httpStatus(), bytes(health.toJson()), null,
                JSON_CONTENT_TYPE);
    }

    private Reply metrics() {
        return new Reply(200, PrometheusText.render(status.gather()).getBytes(StandardCharsets.UTF_8), null,
                Protocol.METRICS_CONTENT_TYPE);
    }

    private Reply enqueue(Caller caller, byte[] body) throws IOException {
        EnqueueRequest request = EnqueueRequest.fromJson(JsonBody.parse(body == null ? new byte[0] : body));
        String requester = access.requesterForEnqueue(caller, request.requester());
        boolean bot = !caller.operator();
        if (bot && (request.priority() < -limits.botMaxPriority() || request.priority() > limits.botMaxPriority())) {
            throw new ApiException(ErrorCode.FORBIDDEN, "priority: bots may use " + -limits.botMaxPriority() + " to "
                    + limits.botMaxPriority() + " (" + RequesterLimits.BOT_MAX_PRIORITY + "; operators any), got "
                    + request.priority());
        }
        Instant runAt = boundedRunAt(request.runAt());
        admission.check(request.kind(), request.payload(), caller.operator());
        Map<String, Object> payload = ReapScope.atEnqueue(request.kind(), request.payload(), caller.operator());
        NewJob job = new NewJob(request.kind().wireName(), requester, JSON_WRITER.asString(payload),
                request.idempotencyKey(), runAt, request.priority(),
                request.maxAttempts() == null ? request.kind().defaultMaxAttempts() : request.maxAttempts());
        // Bots: a share of the queue; a bot's reap waiting in the queue answers its next one.
        EnqueueRules rules = bot ? new EnqueueRules(limits.maxActive(), limits.maxQueuedPayloadBytes(),
                request.kind() == JobKind.CATTLE_REAP) : EnqueueRules.NONE;
        boolean tookToken = bot && takeToken(job, rules);
        EnqueueResult result = null;
        try {
            result = store.enqueue(job, rules);
        } catch (QuotaExceededException e) {
            throw refusal(e);
        } finally {
            if (tookToken && (result == null || result.deduped())) {
                rate.giveBack(requester); // only a stored job costs a token: not a re-send, not a refusal
            }
        }
        log.debug("job.enqueued", "job", result.jobId(), "kind", job.kind(), "requester", requester,
                "deduped", result.deduped(), "caller", caller.describe());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("protocolVersion", Protocol.VERSION);
        answer.put("jobId", result.jobId());
        answer.put("deduped", result.deduped());
        return Reply.ok(answer);
    }

    /**
     * {@code runAt} as stored: v1 reads a time at or before 1970 as "now"; more than
     * {@link RequesterLimits#maxRunAtAhead} ahead is refused (it also kept a job, and its share of
     * its requester's limits, for ever).
     */
    private Instant boundedRunAt(Instant runAt) {
        if (runAt == null || !runAt.isAfter(Instant.EPOCH)) {
            return null;
        }
        if (runAt.isAfter(clock.instant().plus(limits.maxRunAtAhead()))) {
            throw new ApiException(ErrorCode.INVALID_INPUT, "runAt: at most " + Ttl.format(limits.maxRunAtAhead())
                    + " ahead (" + RequesterLimits.MAX_RUN_AT_AHEAD + "), got '" + runAt + "'");
        }
        return runAt;
    }

    /**
     * Takes a token of the bot's enqueue rate, or refuses with how long to wait; a request the
     * store will answer with an earlier job passes without one.
     *
     * @return whether a token was taken (to give back if nothing is stored)
     */
    private boolean takeToken(NewJob job, EnqueueRules rules) {
        long waitMs = rate.take(job.requester());
        if (waitMs == 0) {
            return true;
        }
        if (store.dedupeHit(job, rules).isPresent()) {
            return false;
        }
        throw new QuotaRefusal("requester " + job.requester() + " enqueues faster than " + limits.enqueuesPerSecond()
                + " a second (bursts of " + limits.enqueueBurst() + "); retry in " + waitMs + " ms",
                RequesterLimits.ENQUEUE_RATE, limits.enqueuesPerSecond(), "enqueues per second",
                (waitMs + 999) / 1000);
    }

    private static QuotaRefusal refusal(QuotaExceededException e) {
        return switch (e.quota()) {
            case ACTIVE_JOBS -> new QuotaRefusal(e.getMessage(), RequesterLimits.MAX_ACTIVE, e.limit(), "jobs", 0);
            case QUEUED_PAYLOAD_BYTES -> new QuotaRefusal(e.getMessage(), RequesterLimits.MAX_QUEUED_PAYLOAD, e.limit(),
                    "bytes", 0);
        };
    }

    private Reply list(Caller caller, Map<String, String> query) {
        String asked = query.getOrDefault("requester", "").strip();
        String requester = access.requesterForList(caller, asked.isEmpty() ? null : asked);
        Set<JobStatus> statuses = new LinkedHashSet<>();
        for (String status : csv(query.get("status"))) {
            statuses.add(Statuses.fromWire(WireStatus.parse("status", status)));
        }
        Set<String> kinds = new LinkedHashSet<>();
        for (String kind : csv(query.get("kind"))) {
            kinds.add(JobKind.parseListable("kind", kind));
        }
        if (kinds.isEmpty() && !internalAsked(query)) {
            kinds.addAll(JobKind.v1Names()); // what a v1 client can read
        }
        int limit = limit(query.get("limit"));
        String prefix = query.getOrDefault("idPrefix", "").strip();
        List<Job> found;
        String nextCursor = null;
        if (!prefix.isEmpty()) {
            // Additive: resolves the short ids the CLI prints; scoped like any listing.
            found = store.findByIdPrefix(prefix, requester, limit).stream()
                    .filter(job -> statuses.isEmpty() || statuses.contains(job.status()))
                    .filter(job -> kinds.isEmpty() || kinds.contains(job.kind()))
                    .toList();
        } else {
            String cursor = query.getOrDefault("cursor", "").strip();
            JobPage page = store.list(new JobQuery(requester, statuses, kinds, limit, cursor.isEmpty() ? null : cursor));
            found = page.jobs();
            nextCursor = page.nextCursor();
        }
        return new Reply(200, JobJson.listBody(found, nextCursor), null, JSON_CONTENT_TYPE);
    }

    /** {@code internal=1}: the caller reads every kind, the daemon's own too (see {@link JobKind}). */
    private static boolean internalAsked(Map<String, String> query) {
        String value = query.getOrDefault(JobKind.INTERNAL_QUERY_PARAMETER, "").strip();
        return switch (value) {
            case "", "0", "false" -> false;
            case "1", "true" -> true;
            default -> throw new InvalidInputException(JobKind.INTERNAL_QUERY_PARAMETER, "1 or 0", value);
        };
    }

    private static int limit(String raw) {
        if (raw == null || raw.isBlank()) {
            return JobQuery.DEFAULT_LIMIT;
        }
        String text = raw.strip();
        if (!text.matches("\\d+")) {
            throw new InvalidInputException("limit", "a whole number (clamped to 1–" + JobQuery.MAX_LIMIT + ")", text);
        }
        // v1 clamps a whole number into range rather than refusing it, and bot scripts written
        // for it send e.g. limit=1000: keep them working. Past four digits it is over the maximum.
        return text.length() > 4 ? JobQuery.MAX_LIMIT : clampLimit(Integer.parseInt(text));
    }

    /** v1's clamp of a list limit into [1, {@link JobQuery#MAX_LIMIT}]. */
    static int clampLimit(int limit) {
        return Math.max(1, Math.min(JobQuery.MAX_LIMIT, limit));
    }

    private static List<String> csv(String raw) {
        List<String> values = new ArrayList<>();
        if (raw != null) {
            for (String value : raw.split(",")) {
                if (!value.isBlank()) {
                    values.add(value.strip());
                }
            }
        }
        return values;
    }

    private Reply show(Caller caller, String jobId, Map<String, String> query) {
        Job job = visibleJob(caller, jobId);
        if (JobKind.isInternal(job.kind()) && !internalAsked(query) && !csv(query.get("kind")).contains(job.kind())) {
            // A v1 client cannot read this kind; a caller that can says so.
            throw new ApiException(ErrorCode.NOT_FOUND, "job not found: " + jobId + " (it is the daemon's own "
                    + job.kind() + " job; ask with ?kind=" + job.kind() + ")");
        }
        // Additive (issue 13 §2): a spawn job's task, as the VM's agent reported it.
        Map<String, Object> task = JobKind.CATTLE_SPAWN.wireName().equals(job.kind())
                ? TaskEvents.json(store.events(jobId)) : null;
        return new Reply(200, JobJson.showBody(job, task), null, JSON_CONTENT_TYPE);
    }

    private Reply cancel(Caller caller, String jobId) {
        visibleJob(caller, jobId);
        CancelResult result = store.cancel(jobId);
        switch (result.outcome()) {
            case NOT_FOUND -> throw notFound(jobId);
            case NOT_CANCELABLE -> throw new ApiException(ErrorCode.NOT_CANCELABLE,
                    "job not cancelable (status=" + Statuses.toWire(result.status()).wireName() + ")");
            case CANCEL_REQUESTED -> cancelRequested.accept(jobId);
            case CANCELED -> {
                // a queued job: nothing runs it
            }
        }
        log.debug("job.cancel", "job", jobId, "outcome", result.outcome(), "caller", caller.describe());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("protocolVersion", Protocol.VERSION);
        body.put("ok", true);
        body.put("jobId", jobId);
        body.put("status", Statuses.toWire(result.status()).wireName());
        body.put("cancelRequested", result.outcome() == CancelResult.Outcome.CANCEL_REQUESTED);
        return Reply.ok(body);
    }

    private Reply events(Caller caller, String jobId) {
        visibleJob(caller, jobId);
        List<Map<String, Object>> events = new ArrayList<>();
        store.events(jobId).forEach(event -> events.add(JobJson.event(event)));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("protocolVersion", Protocol.VERSION);
        body.put("jobId", jobId);
        body.put("events", events);
        return Reply.ok(body);
    }

    /** The job if it exists and the caller may see it; otherwise 404 either way. */
    private Job visibleJob(Caller caller, String jobId) {
        Job job = store.get(jobId).orElseThrow(() -> notFound(jobId));
        if (!access.maySee(caller, job)) {
            throw notFound(jobId);
        }
        return job;
    }

    private static ApiException notFound(String jobId) {
        return new ApiException(ErrorCode.NOT_FOUND, "job not found: " + jobId);
    }

    // ------------------------------------------------------------------ responses

    /** A status, a body (JSON but for /metrics), for 405 the methods to use instead, for 429 when to retry. */
    record Reply(int status, byte[] body, String allow, String contentType, long retryAfterSeconds) {
        Reply(int status, byte[] body, String allow, String contentType) {
            this(status, body, allow, contentType, 0);
        }

        static Reply ok(Map<String, Object> body) {
            return new Reply(200, bytes(body), null, JSON_CONTENT_TYPE);
        }

        Reply withAllow(String method) {
            return new Reply(status, body, method, contentType, retryAfterSeconds);
        }

        Reply withRetryAfter(long seconds) {
            return new Reply(status, body, allow, contentType, seconds);
        }
    }

    private static Reply failure(ErrorCode code, String message) {
        return new Reply(code.httpStatus(), V1Errors.body(code, message), null, JSON_CONTENT_TYPE);
    }

    private static byte[] bytes(Map<String, Object> body) {
        try {
            return JSON_WRITER.asBytes(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** On the IO thread: the reply goes out without blocking, and the exchange ends here. */
    private static void send(HttpServerExchange exchange, Reply reply) {
        if (exchange.isResponseStarted()) {
            exchange.setPersistent(false);
            exchange.endExchange();
            return;
        }
        exchange.setStatusCode(reply.status());
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, reply.contentType());
        if (reply.allow() != null) {
            exchange.getResponseHeaders().put(Headers.ALLOW, reply.allow());
        }
        if (reply.retryAfterSeconds() > 0) {
            exchange.getResponseHeaders().put(Headers.RETRY_AFTER, reply.retryAfterSeconds());
        }
        exchange.setResponseContentLength(reply.body().length);
        exchange.getResponseSender().send(ByteBuffer.wrap(reply.body()));
    }

    private static String incidentId() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
