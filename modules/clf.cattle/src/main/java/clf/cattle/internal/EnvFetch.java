package clf.cattle.internal;

import clf.protocol.CattleEnvAnswer;
import clf.protocol.LogLines;
import clf.protocol.InvalidInputException;
import clf.protocol.Protocol;
import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * {@code GET /v1/cattle/env} with the bootstrap token, retried while the listener cannot answer
 * yet (the tailnet is still coming up: connection errors; tailscaled cannot vouch for the caller:
 * 503; a provider key is missing on the control plane: 500; 429 after its Retry-After) until the
 * deadline, the token's expiry. 401 and 403 end it at once: no retry can change them.
 */
public final class EnvFetch {
    /** Where the README explains each refusal; the log line names it so an operator finds it. */
    static final String CASE_401 = "A VM's GET /v1/cattle/env gets 401";
    static final String CASE_403 = "A VM's GET /v1/cattle/env gets 403";
    static final String CASE_GAVE_UP = "clf-cattle gave up fetching its env";
    static final String README_401 = readme(CASE_401);
    static final String README_403 = readme(CASE_403);
    static final String README_GAVE_UP = readme(CASE_GAVE_UP);

    /** How a fetch ended. */
    public sealed interface Outcome {
    }

    public record Fetched(CattleEnvAnswer answer) implements Outcome {
    }

    /** The listener said no (401, 403 or another 4xx); {@code readme} names the case that explains it. */
    public record Refused(int status, String message, String readme) implements Outcome {
    }

    /** The deadline passed without an answer that could be used. */
    public record GaveUp(int attempts, String lastProblem) implements Outcome {
    }

    private final HttpClient http;
    private final Clock clock;
    private final Backoff backoff;
    private final RandomGenerator random;
    private final LogLines log;

    public EnvFetch(HttpClient http, Clock clock, Backoff backoff, RandomGenerator random, LogLines log) {
        this.http = http;
        this.clock = clock;
        this.backoff = backoff;
        this.random = random;
        this.log = log;
    }

    public Outcome fetch(VmFiles.Bootstrap bootstrap, Instant deadline) throws InterruptedException {
        URI url = URI.create(bootstrap.baseUrl() + Protocol.CATTLE_ENV);
        String lastProblem = "no attempt before the deadline";
        for (int attempt = 1; ; attempt++) {
            Duration left = Duration.between(clock.instant(), deadline);
            if (left.isNegative() || left.isZero()) {
                return new GaveUp(attempt - 1, lastProblem);
            }
            Duration wait;
            try {
                HttpRequest request = HttpRequest.newBuilder(url).GET()
                        .timeout(min(Duration.ofSeconds(20), left))
                        .header("Authorization", "Bearer " + bootstrap.token())
                        .header("Accept", "application/json").build();
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status == 200) {
                    try {
                        return new Fetched(CattleEnvAnswer.fromJson(JSON.std.anyFrom(response.body())));
                    } catch (IOException | InvalidInputException e) {
                        // The token is spent: nothing to retry with.
                        return new Refused(status, "the answer is not an env: " + e.getClass().getSimpleName(), README_GAVE_UP);
                    }
                }
                String message = errorMessage(response.body());
                if (status == 401) {
                    return new Refused(status, message, README_401);
                }
                if (status == 403) {
                    return new Refused(status, message, README_403);
                }
                if (status != 429 && status < 500) {
                    return new Refused(status, message, README_GAVE_UP);
                }
                lastProblem = status + " " + message;
                wait = status == 429 ? retryAfter(response).orElse(backoff.delay(attempt, random))
                        : backoff.delay(attempt, random);
            } catch (IOException e) {
                lastProblem = "cannot reach " + url + ": " + e;
                wait = backoff.delay(attempt, random);
            }
            log.warn("agent.env-retry", "attempt", attempt, "problem", lastProblem, "retry_in_ms", wait.toMillis(),
                    "until", deadline);
            Thread.sleep(Math.max(0, min(wait, Duration.between(clock.instant(), deadline)).toMillis()));
        }
    }

    private static String readme(String troubleshootingCase) {
        return "README, Troubleshooting: \"" + troubleshootingCase + "\"";
    }

    static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static java.util.Optional<Duration> retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").flatMap(value -> {
            try {
                return java.util.Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value.strip()))));
            } catch (NumberFormatException e) {
                return java.util.Optional.empty();
            }
        });
    }

    /** The listener's {@code error.message}, or the status alone; never more than a line. */
    static String errorMessage(String body) {
        try {
            Object json = JSON.std.anyFrom(body);
            if (json instanceof Map<?, ?> map && map.get("error") instanceof Map<?, ?> error
                    && error.get("message") instanceof String message) {
                return message.length() > 200 ? message.substring(0, 200) : message;
            }
        } catch (IOException | RuntimeException e) {
            // not the listener's JSON: say nothing more than the status
        }
        return "(no message)";
    }
}
