package clf.server.internal.cattle.listener;

import clf.protocol.CattleEnvAnswer;
import clf.protocol.ErrorCode;
import clf.protocol.InvalidInputException;
import clf.protocol.Protocol;
import clf.protocol.TaskReport;
import clf.queue.JobStore;
import clf.secrets.BootstrapTokens;
import clf.secrets.IssuedToken;
import clf.secrets.Redemption;
import clf.secrets.ReportAuth;
import clf.secrets.SecretSource;
import clf.secrets.TokenGrant;
import clf.server.internal.log.Log;
import clf.server.internal.tailnet.LocalApiException;
import clf.server.internal.web.ContentLengthCheck;
import clf.server.internal.web.RouteTable;
import clf.server.internal.web.WorkerHandoff;
import com.fasterxml.jackson.jr.ob.JSON;
import io.undertow.io.Receiver;
import io.undertow.server.HttpHandler;
import io.undertow.server.RequestTooBigException;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The tailnet-only listener where a fresh VM trades its one-time bootstrap token for its
 * environment (spec §1.2): {@code GET /v1/cattle/env} with {@code Authorization: Bearer <token>}.
 * Answers are pretty JSON, never cached. A refused token is 401 whatever the reason (the VM
 * learns nothing); the operator's log says why. With peer verification on ({@link PeerVerifier}),
 * a caller that is not the token's VM gets 403 and, when tailscaled cannot say who it is, 503;
 * neither uses the token up. The answer also carries the VM's report credential, with which its
 * agent reports the task's start and end: {@code POST /v1/cattle/task} (issue 13 §2, {@link #task}).
 * Failures are logged one line a minute, and a source address past
 * {@value RefusedCallers#PER_SOURCE_LIMIT} failures in a minute is answered 429 ({@link RefusedCallers}).
 */
public final class CattleApi implements HttpHandler {
    /** What a route answers; the listener's state comes in as {@code api}. */
    @FunctionalInterface
    interface Handler {
        Reply handle(CattleApi api, HttpServerExchange exchange);
    }

    /**
     * Every route of the cattle listener. Anything else, a known path with another method too, is
     * 404 {@code not found} (spec §1.2: a VM needs no more, and a stranger learns no methods).
     */
    static final RouteTable<Handler> ROUTES = RouteTable.<Handler>builder()
            .get("/healthz", (api, exchange) -> Reply.json(StatusCodes.OK, Map.of("ok", true)))
            .get(Protocol.CATTLE_ENV, CattleApi::env)
            .post(Protocol.CATTLE_TASK, CattleApi::task)
            .build();
    /**
     * A task report's body at most: a summary of {@value TaskReport#MAX_SUMMARY_BYTES} bytes of
     * UTF-8 may take six times that as JSON escapes, and the rest is small.
     */
    static final int MAX_REPORT_BYTES = 32 * 1024;

    private static final HttpString CACHE_CONTROL = new HttpString("Cache-Control");
    private static final HttpString NOSNIFF = new HttpString("X-Content-Type-Options");
    private static final AttachmentKey<byte[]> BODY = AttachmentKey.create(byte[].class);
    private static final JSON PRETTY = JSON.std.with(JSON.Feature.PRETTY_PRINT_OUTPUT);

    private final BootstrapTokens tokens;
    private final SecretSource secrets;
    private final JobStore jobs;
    private final PeerVerifier peers;
    private final RefusedCallers refusals;
    private final TaskReports reports;
    private final Log log;

    /**
     * @param peers    checks that a caller is the VM its token was made for
     * @param refusals counts failed redemptions and reports, logs them, and says who has failed too often
     * @param deleteOnFinish {@code CLF_CATTLE_DELETE_ON_FINISH}: a finished task's server is reaped at once
     */
    public CattleApi(BootstrapTokens tokens, SecretSource secrets, JobStore jobs, PeerVerifier peers,
            RefusedCallers refusals, boolean deleteOnFinish, Log log) {
        this.tokens = tokens;
        this.secrets = secrets;
        this.jobs = jobs;
        this.peers = peers;
        this.refusals = refusals;
        this.reports = new TaskReports(jobs, deleteOnFinish, log);
        this.log = log;
    }

    /**
     * On the IO thread: refuses a Content-Length that cannot be trusted ({@link
     * ContentLengthCheck}), else replies through {@link WorkerHandoff} (a redemption waits for
     * SQLite and, with peer verification, for tailscaled). Only a task report's body is read,
     * without blocking and at most {@link #MAX_REPORT_BYTES}; any other body is left to the IO
     * thread, which drains or drops it without holding a worker thread.
     */
    @Override
    public void handleRequest(HttpServerExchange exchange) {
        String badLength = ContentLengthCheck.problem(exchange);
        if (badLength != null) {
            exchange.setPersistent(false); // what follows the head cannot be framed: never read it as a request
            send(exchange, error(StatusCodes.BAD_REQUEST, badLength));
            return;
        }
        if (Protocol.CATTLE_TASK.equals(exchange.getRequestPath()) && Methods.POST.equals(exchange.getRequestMethod())) {
            if (exchange.getRequestContentLength() > MAX_REPORT_BYTES) {
                send(exchange, error(ErrorCode.TOO_LARGE, "request body too large (" + exchange.getRequestContentLength()
                        + " bytes; limit " + MAX_REPORT_BYTES + ")"));
                return;
            }
            Receiver receiver = exchange.getRequestReceiver();
            receiver.setMaxBufferSize(MAX_REPORT_BYTES);
            receiver.receiveFullBytes(
                    (ex, body) -> {
                        ex.putAttachment(BODY, body);
                        WorkerHandoff.reply(ex, () -> reply(ex), reply -> send(ex, reply));
                    },
                    (ex, failure) -> send(ex, failure instanceof RequestTooBigException
                            ? error(ErrorCode.TOO_LARGE, "request body too large (over " + MAX_REPORT_BYTES + " bytes)")
                            : error(ErrorCode.INVALID_INPUT, "request body incomplete: the connection ended early")));
            return;
        }
        WorkerHandoff.reply(exchange, () -> reply(exchange), reply -> send(exchange, reply));
    }

    private Reply reply(HttpServerExchange exchange) {
        // The path as Undertow decoded it (the bot API decodes its own; this one never did).
        if (ROUTES.match(exchange.getRequestMethod(), exchange.getRequestPath()) instanceof RouteTable.Found<Handler> found) {
            return found.handler().handle(this, exchange);
        }
        return error(StatusCodes.NOT_FOUND, "not found");
    }

    /** The caller's wait, when its address has failed too often (429), else null. */
    private Reply throttled(String remote) {
        Optional<Duration> wait = refusals.throttled(remote);
        if (wait.isEmpty()) {
            return null;
        }
        long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
        return error(StatusCodes.TOO_MANY_REQUESTS, "too many failed requests from " + remote + "; retry in " + seconds + " s")
                .retryAfter(seconds);
    }

    private Reply env(HttpServerExchange exchange) {
        String remote = remoteAddress(exchange);
        Reply throttled = throttled(remote);
        if (throttled != null) {
            return throttled;
        }
        String token = bearerToken(exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION));
        if (token == null) {
            refusals.refused(remote, "missing bearer token");
            return error(StatusCodes.UNAUTHORIZED, "missing bearer token");
        }
        // Asked before the token is read, so its transaction never waits on tailscaled.
        Function<TokenGrant, Optional<String>> peerCheck;
        try {
            peerCheck = peers.lookUp(exchange.getSourceAddress());
        } catch (LocalApiException e) {
            log.error("cattle.env-peer-unverified", "remote", remote, "error", e.getMessage(),
                    "action", "check that tailscaled runs and answers on its socket; the token was not used, the VM may retry");
            return error(StatusCodes.SERVICE_UNAVAILABLE, "peer verification unavailable; try again");
        }
        Redemption redemption;
        try {
            redemption = tokens.redeem(token, secrets, peerCheck);
        } catch (RuntimeException e) {
            // The redemption rolled back: the token is still good, the VM may retry.
            log.error("cattle.env-failed", "remote", remote, "error", e.toString(),
                    "action", "the token was not used up; the VM may retry");
            return error(StatusCodes.INTERNAL_SERVER_ERROR, "internal error; retry");
        }
        if (redemption instanceof Redemption.Redeemed redeemed) {
            TokenGrant grant = redeemed.grant();
            recordFetched(grant, remote, redeemed.env().size());
            log.info("cattle.env-fetched", "job", grant.jobId(), "server", grant.cattleName(), "remote", remote,
                    "variables", String.join(",", redeemed.env().keySet()));
            Map<String, String> env = new LinkedHashMap<>();
            redeemed.env().forEach((name, value) -> env.put(name, value.reveal()));
            IssuedToken report = redeemed.report();
            CattleEnvAnswer answer = report == null ? new CattleEnvAnswer(env, null, null)
                    : new CattleEnvAnswer(env, new CattleEnvAnswer.Server(grant.cattleName(), report.expiresAt()),
                            new CattleEnvAnswer.Report(report.token().reveal(), Protocol.CATTLE_TASK, report.expiresAt()));
            return Reply.json(StatusCodes.OK, answer.toJson());
        } else if (redemption instanceof Redemption.Refused refused) {
            refusals.refused(remote, refused.reason());
            return error(StatusCodes.UNAUTHORIZED, "invalid/expired token");
        } else if (redemption instanceof Redemption.MissingSecrets missing) {
            String names = missing.missing().stream().map(group -> String.join(" or ", group))
                    .collect(Collectors.joining(", "));
            log.error("cattle.env-missing-secret", "job", missing.grant().jobId(), "remote", remote,
                    "missing", names, "action", "set them (systemd credential or environment); the token stays valid");
            return error(StatusCodes.INTERNAL_SERVER_ERROR, "missing required secret on control plane: " + names);
        } else if (redemption instanceof Redemption.Rejected rejected) {
            refusals.refused(remote, "not the token's machine");
            log.warn("cattle.env-rejected", "job", rejected.grant().jobId(), "server", rejected.grant().cattleName(),
                    "remote", remote, "reason", rejected.reason(), "action", "the token was not used");
            return error(StatusCodes.FORBIDDEN, "this token belongs to another machine");
        }
        throw new IllegalStateException("unknown redemption " + redemption);
    }

    /**
     * {@code POST /v1/cattle/task}: the VM's agent reports its task (issue 13 §2) with the report
     * credential its env came with. Unknown or expired credential: 401, counted like a failed
     * redemption; with peer verification on, a caller that is not the credential's server: 403
     * (503 when tailscaled cannot say). Then the body ({@link TaskReport}, 400 naming the field),
     * and the report is recorded ({@link TaskReports}): 200, also for the same report again; 409
     * for a report after a different end.
     */
    private Reply task(HttpServerExchange exchange) {
        String remote = remoteAddress(exchange);
        Reply throttled = throttled(remote);
        if (throttled != null) {
            return throttled;
        }
        String credential = bearerToken(exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION));
        if (credential == null) {
            refusals.refused(remote, "task report without a bearer credential");
            return error(StatusCodes.UNAUTHORIZED, "missing bearer credential");
        }
        ReportAuth auth;
        try {
            auth = tokens.authenticateReport(credential);
        } catch (RuntimeException e) {
            log.error("cattle.task-report-failed", "remote", remote, "error", e.toString(), "action", "the VM may retry");
            return error(StatusCodes.INTERNAL_SERVER_ERROR, "internal error; retry");
        }
        if (auth instanceof ReportAuth.Refused refused) {
            refusals.refused(remote, "task report: " + refused.reason());
            return error(StatusCodes.UNAUTHORIZED, "invalid/expired report credential");
        }
        ReportAuth.Valid reporter = (ReportAuth.Valid) auth;
        Optional<String> notThePeer;
        try {
            notThePeer = peers.refusal(exchange.getSourceAddress(), reporter.cattleName());
        } catch (LocalApiException e) {
            log.error("cattle.task-peer-unverified", "job", reporter.jobId(), "remote", remote, "error", e.getMessage(),
                    "action", "check that tailscaled runs and answers on its socket; the VM may retry");
            return error(StatusCodes.SERVICE_UNAVAILABLE, "peer verification unavailable; try again");
        }
        if (notThePeer.isPresent()) {
            refusals.refused(remote, "task report: not the credential's machine");
            log.warn("cattle.task-rejected", "job", reporter.jobId(), "server", reporter.cattleName(), "remote", remote,
                    "reason", notThePeer.get());
            return error(StatusCodes.FORBIDDEN, "this credential belongs to another machine");
        }
        TaskReport report;
        try {
            report = TaskReport.fromJson(JSON.std.anyFrom(exchange.getAttachment(BODY)));
        } catch (InvalidInputException e) {
            return error(ErrorCode.INVALID_INPUT, e.getMessage());
        } catch (IOException e) {
            return error(ErrorCode.INVALID_INPUT, "request body: expected a JSON object, got malformed JSON");
        }
        TaskReports.Outcome outcome;
        try {
            outcome = reports.record(reporter, report);
        } catch (RuntimeException e) {
            log.error("cattle.task-report-failed", "job", reporter.jobId(), "error", e.toString(), "action", "the VM may retry");
            return error(StatusCodes.INTERNAL_SERVER_ERROR, "internal error; retry");
        }
        return switch (outcome) {
            case RECORDED, REPEATED -> Reply.json(StatusCodes.OK, Map.of("protocolVersion", Protocol.VERSION, "ok", true));
            case CONFLICT -> error(ErrorCode.CONFLICT, "the task's end was reported already; a different \""
                    + report.event() + "\" cannot follow it");
            case JOB_GONE -> error(ErrorCode.NOT_FOUND, "the job of this server is gone");
        };
    }

    /**
     * Adds {@code cattle.env-fetched} to the spawn job's history. The token is used up already,
     * so a failure here must not cost the VM its answer: it is logged instead.
     */
    private void recordFetched(TokenGrant grant, String remote, int variables) {
        try {
            if (!jobs.recordEvent(grant.jobId(), "cattle.env-fetched", "by " + grant.cattleName() + " from " + remote
                    + " (" + variables + " variables)")) {
                log.warn("cattle.env-event-lost", "job", grant.jobId(), "reason", "job not found");
            }
        } catch (RuntimeException e) {
            log.error("cattle.env-event-lost", "job", grant.jobId(), "error", e.toString());
        }
    }

    /** Spec §1.2: "Bearer" (any case), then spaces or tabs, then the token. */
    static String bearerToken(String header) {
        if (header == null) {
            return null;
        }
        String value = header.strip();
        if (value.length() <= 7 || !value.regionMatches(true, 0, "bearer", 0, 6)) {
            return null;
        }
        char separator = value.charAt(6);
        if (separator != ' ' && separator != '\t') {
            return null;
        }
        String token = value.substring(7).strip();
        return token.isEmpty() ? null : token;
    }

    private static String remoteAddress(HttpServerExchange exchange) {
        InetSocketAddress address = exchange.getSourceAddress();
        return address == null || address.getAddress() == null ? "unknown" : address.getAddress().getHostAddress();
    }

    private static Reply error(int status, String message) {
        return Reply.json(status, Map.of("ok", false, "error", Map.of("message", message)));
    }

    /** A task report's refusal, with the bot API's code as well ({@code ok} as the env's errors). */
    private static Reply error(ErrorCode code, String message) {
        return Reply.json(code.httpStatus(), Map.of("protocolVersion", Protocol.VERSION, "ok", false,
                "error", Map.of("message", message, "code", code.wireName())));
    }

    /** A status, its pretty JSON body, and for a 429 the seconds to wait. */
    record Reply(int status, byte[] body, long retryAfter) {
        static Reply json(int status, Map<String, ?> body) {
            try {
                return new Reply(status, (PRETTY.asString(body) + "\n").getBytes(StandardCharsets.UTF_8), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        Reply retryAfter(long seconds) {
            return new Reply(status, body, seconds);
        }
    }

    /** On the IO thread: the reply goes out without blocking, and the exchange ends here. */
    private static void send(HttpServerExchange exchange, Reply reply) {
        exchange.setStatusCode(reply.status());
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json; charset=utf-8");
        exchange.getResponseHeaders().put(CACHE_CONTROL, "no-store");
        exchange.getResponseHeaders().put(NOSNIFF, "nosniff");
        if (reply.retryAfter() > 0) {
            exchange.getResponseHeaders().put(Headers.RETRY_AFTER, reply.retryAfter());
        }
        exchange.setResponseContentLength(reply.body().length);
        exchange.getResponseSender().send(ByteBuffer.wrap(reply.body()));
    }
}
