package clf.cattle.internal;

import clf.protocol.CattleEnvAnswer;
import clf.protocol.LogLines;
import clf.protocol.TaskReport;
import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Sends a {@link TaskReport} to the cattle listener ({@code POST} to the report's path with its
 * credential as Bearer), retried on connection errors, 5xx and 429 with backoff until the
 * credential expires: the daemon answers the same report twice like the first, so a retry after
 * a lost answer is safe. Any other answer ends it (logged; the task's outcome stands either way).
 */
public final class Reporter {
    private final HttpClient http;
    private final URI baseUrl;
    private final CattleEnvAnswer.Report report;
    private final Clock clock;
    private final Backoff backoff;
    private final RandomGenerator random;
    private final LogLines log;

    public Reporter(HttpClient http, URI baseUrl, CattleEnvAnswer.Report report, Clock clock, Backoff backoff,
            RandomGenerator random, LogLines log) {
        this.http = http;
        this.baseUrl = baseUrl;
        this.report = report;
        this.clock = clock;
        this.backoff = backoff;
        this.random = random;
        this.log = log;
    }

    /** True when the daemon took the report. */
    public boolean send(TaskReport taskReport) throws InterruptedException {
        if (!report.path().startsWith("/")) {
            // Appended to the listener's URL, "@host/…" would send the credential to another host.
            log.error("agent.report-refused", "event", taskReport.event(), "problem",
                    "the report path is not a path on the listener: " + report.path());
            return false;
        }
        URI url = URI.create(baseUrl + report.path());
        byte[] body;
        try {
            body = JSON.std.asBytes(taskReport.toJson());
        } catch (IOException e) {
            throw new IllegalStateException("a task report does not serialize", e);
        }
        String problem = "no attempt before the credential expired";
        for (int attempt = 1; ; attempt++) {
            Duration left = Duration.between(clock.instant(), report.expiresAt());
            if (left.isNegative() || left.isZero()) {
                log.error("agent.report-gave-up", "event", taskReport.event(), "attempts", attempt - 1, "problem", problem,
                        "expired_at", report.expiresAt());
                return false;
            }
            Duration wait;
            try {
                HttpRequest request = HttpRequest.newBuilder(url).timeout(EnvFetch.min(Duration.ofSeconds(20), left))
                        .header("Authorization", "Bearer " + report.token())
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status / 100 == 2) {
                    log.info("agent.reported", "event", taskReport.event(), "attempts", attempt);
                    return true;
                }
                if (status != 429 && status < 500) {
                    log.error("agent.report-refused", "event", taskReport.event(), "status", status,
                            "message", EnvFetch.errorMessage(response.body()));
                    return false;
                }
                problem = status + " " + EnvFetch.errorMessage(response.body());
            } catch (IOException e) {
                problem = "cannot reach " + url + ": " + e;
            }
            wait = backoff.delay(attempt, random);
            log.warn("agent.report-retry", "event", taskReport.event(), "attempt", attempt, "problem", problem,
                    "retry_in_ms", wait.toMillis());
            Thread.sleep(Math.max(0, EnvFetch.min(wait, Duration.between(clock.instant(), report.expiresAt())).toMillis()));
        }
    }
}
