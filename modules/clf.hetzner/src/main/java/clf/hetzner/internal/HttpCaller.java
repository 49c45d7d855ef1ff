package clf.hetzner.internal;

import clf.hetzner.CallClass;
import clf.hetzner.HetznerApiException;
import clf.hetzner.HetznerConfig;
import clf.hetzner.HetznerTransportException;
import clf.hetzner.Sleeper;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Sends one {@link ApiCall} and returns its 2xx answer, absorbing the faults a cloud API has:
 * <ul>
 *   <li>429: waits as the rate-limit headers say ({@link RateLimitWait}) and asks again, until
 *       the waits would exceed {@code maxRateLimitWait};</li>
 *   <li>5xx, {@code locked}/{@code conflict}, timeouts and network errors: up to
 *       {@code maxAttempts} tries with {@link Backoff} between them;</li>
 *   <li>anything else: a {@link HetznerApiException} at once.</li>
 * </ul>
 * Every method is retried. That is safe for clf's calls: a repeated create meets a name conflict,
 * which the client resolves by adoption; a repeated delete meets a 404, which means done. Except
 * when the first server was made and deleted in between (the reaper deletes it once its TTL
 * passes): so a call with {@link ApiCall#repeatUntil()} is sent again after a try that may have
 * been carried out only while its answer is due before that instant, and otherwise fails.
 */
public final class HttpCaller {
    private final HetznerConfig config;
    private final Supplier<String> token;
    private final Clock clock;
    private final Sleeper sleeper;
    private final ClientMeter meter;
    private final HttpClient http;
    private final RateReserve reserve;
    private final CallClass callClass;

    public HttpCaller(HetznerConfig config, Supplier<String> token, Clock clock, Sleeper sleeper, ClientMeter meter,
            RateReserve reserve) {
        // HTTP/1.1: Hetzner serves it, and it avoids h2c upgrade headers on the plain-HTTP simulator.
        this(config, token, clock, sleeper, meter, HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.requestTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build(), reserve, CallClass.ORDINARY);
    }

    private HttpCaller(HetznerConfig config, Supplier<String> token, Clock clock, Sleeper sleeper, ClientMeter meter,
            HttpClient http, RateReserve reserve, CallClass callClass) {
        this.config = config;
        this.token = token;
        this.clock = clock;
        this.sleeper = sleeper;
        this.meter = meter;
        this.http = http;
        this.reserve = reserve;
        this.callClass = callClass;
    }

    /** The same caller (connections, meter, reserve) sending its calls as {@code value}. */
    public HttpCaller withClass(CallClass value) {
        return new HttpCaller(config, token, clock, sleeper, meter, http, reserve, value);
    }

    /** A 2xx answer: its status and body. */
    public record Answer(int status, String body) {
    }

    public Answer send(ApiCall call) {
        String secretToken = currentToken(call);
        List<String> secrets = new ArrayList<>(call.secrets());
        secrets.add(secretToken);
        HttpRequest request = build(call, secretToken);
        int failures = 0;
        int consecutive429 = 0;
        long rateLimitWaitedMs = 0;
        while (true) {
            HttpResponse<String> response;
            try {
                reserve.awaitTurn(callClass, call, clock, sleeper);
                response = http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (HttpTimeoutException e) {
                meter.unanswered();
                failures++;
                String detail = "request timed out after " + config.requestTimeout().toMillis() + " ms";
                giveUpOrWait(call, failures, detail, e, secrets);
                continue;
            } catch (IOException e) {
                meter.unanswered();
                failures++;
                String detail = "network error: " + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : " " + e.getMessage());
                giveUpOrWait(call, failures, detail, e, secrets);
                continue;
            } catch (InterruptedException e) {
                throw interrupted(call, e);
            }
            int status = response.statusCode();
            RateLimitWait.RateLimitHeaders limits = RateLimitWait.RateLimitHeaders.from(response.headers());
            meter.answered(status, limits);
            reserve.observe(limits, clock.millis());
            if (status >= 200 && status < 300) {
                return new Answer(status, response.body());
            }
            ErrorText.ApiError error = ErrorText.parse(response.body(), secrets);
            if (status == 429) {
                consecutive429++;
                Duration wait = RateLimitWait.after429(limits, clock.instant(), consecutive429);
                if (rateLimitWaitedMs + wait.toMillis() > config.maxRateLimitWait().toMillis()) {
                    throw new HetznerApiException(call.method(), call.display(), status, error.code(), error.message(),
                            "rate limited; waited " + rateLimitWaitedMs + " ms, next wait " + wait.toMillis()
                                    + " ms would exceed " + config.maxRateLimitWait().toMillis() + " ms");
                }
                pause(call, wait);
                rateLimitWaitedMs += wait.toMillis();
                continue;
            }
            consecutive429 = 0;
            if (HetznerApiException.isTransient(status, error.code())) {
                failures++;
                Duration wait = backoff(failures);
                boolean mayRepeat = status < 500 || mayRepeat(call, wait);
                if (failures < config.maxAttempts() && mayRepeat) {
                    pause(call, wait);
                    continue;
                }
                throw new HetznerApiException(call.method(), call.display(), status, error.code(), error.message(),
                        mayRepeat ? "after " + failures + " attempts" : notRepeated(call));
            }
            throw new HetznerApiException(call.method(), call.display(), status, error.code(), error.message(), "");
        }
    }

    private String currentToken(ApiCall call) {
        String value = token.get();
        if (value == null || value.isBlank()) {
            // A configuration error, not a passing fault: no request is sent and nothing is retryable.
            throw new IllegalStateException(call.method() + " " + call.display() + ": no Hetzner API token configured");
        }
        return value.trim();
    }

    private HttpRequest build(ApiCall call, String secretToken) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(call.uri(config.baseUrl()))
                .timeout(config.requestTimeout())
                .header("Authorization", "Bearer " + secretToken)
                .header("Accept", "application/json")
                .header("User-Agent", "clf-hetzner");
        if (call.body() == null) {
            return builder.method(call.method(), HttpRequest.BodyPublishers.noBody()).build();
        }
        return builder.header("Content-Type", "application/json")
                .method(call.method(), HttpRequest.BodyPublishers.ofString(Json.write(call.body())))
                .build();
    }

    private void giveUpOrWait(ApiCall call, int failures, String detail, IOException cause, List<String> secrets) {
        Duration wait = backoff(failures);
        boolean mayRepeat = mayRepeat(call, wait);
        if (failures >= config.maxAttempts() || !mayRepeat) {
            String note = !mayRepeat ? " (" + notRepeated(call) + ")" : failures > 1 ? " (after " + failures + " attempts)" : "";
            throw new HetznerTransportException(call.method(), call.display(),
                    ErrorText.safe(detail, secrets, ErrorText.MAX_CHARS) + note, cause);
        }
        pause(call, wait);
    }

    /** Whether a repeat sent after {@code wait} is answered, at the latest, before the call's repeat-until. */
    private boolean mayRepeat(ApiCall call, Duration wait) {
        return call.repeatUntil() == null
                || clock.instant().plus(wait).plus(config.requestTimeout()).isBefore(call.repeatUntil());
    }

    private static String notRepeated(ApiCall call) {
        return "not sent again: its answer would be due after " + call.repeatUntil()
                + ", when what the first try may have made can be gone";
    }

    private Duration backoff(int failures) {
        return Backoff.delay(failures, config.backoffBase(), config.backoffCap(), config.backoffJitter(),
                ThreadLocalRandom.current().nextDouble());
    }

    private void pause(ApiCall call, Duration wait) {
        try {
            sleeper.sleep(wait);
        } catch (InterruptedException e) {
            throw interrupted(call, e);
        }
    }

    private static HetznerTransportException interrupted(ApiCall call, InterruptedException e) {
        Thread.currentThread().interrupt();
        return new HetznerTransportException(call.method(), call.display(), "interrupted", e);
    }
}
