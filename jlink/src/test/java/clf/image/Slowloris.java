package clf.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * Slow clients for one listener, run beside the fuzzing so that the whole run stays short:
 * two send a request head one byte every 700 ms (the daemon must drop them at its 10 s parse
 * timeout), one sends a whole refused request one byte every 20 ms (it must be answered 4xx),
 * and one sends a head at once and then its announced body one byte every 500 ms for 12 s
 * before half-closing (it must get a 4xx or be closed, never hang).
 */
final class Slowloris {
    /** Undertow's REQUEST_PARSE_TIMEOUT in Daemon (not configurable). */
    static final Duration PARSE_TIMEOUT = Duration.ofSeconds(10);
    /** How long past the parse timeout a dribbled head may stay open before it counts as a hang. */
    static final Duration SLACK = Duration.ofSeconds(8);

    /** What one slow client saw. */
    record Outcome(String listener, String kind, String outcome, boolean ok) {
        @Override
        public String toString() {
            return listener + " " + kind + ": " + outcome + (ok ? "" : " [NOT OK]");
        }
    }

    private Slowloris() {
    }

    /** Starts the four slow clients on {@code pool}; each future ends with what its client saw. */
    static List<CompletableFuture<Outcome>> start(String listener, CaseRunner.Connector connector, boolean botApi,
            ExecutorService pool) {
        String head = botApi ? "POST /healthz HTTP/1.1\r\nHost: clf\r\nX-Slow: " + "a".repeat(200)
                : "GET /v1/cattle/env HTTP/1.1\r\nHost: clf\r\nX-Slow: " + "a".repeat(200);
        String refused = botApi ? UnixHttp.request("POST", "/v1/jobs/enqueue", "{\"protocolVersion\":1,\"kind\":5}")
                : "GET /v1/cattle/env HTTP/1.1\r\nHost: clf\r\nAuthorization: Bearer " + "0f".repeat(32) + "\r\n\r\n";
        String bodyHead = botApi ? "POST /v1/jobs/enqueue HTTP/1.1\r\nHost: clf\r\nContent-Length: 64\r\n\r\n"
                : "GET /v1/cattle/env HTTP/1.1\r\nHost: clf\r\nContent-Length: 64\r\n\r\n";
        return List.of(
                CompletableFuture.supplyAsync(() -> dribbleHead(listener, connector, head), pool),
                CompletableFuture.supplyAsync(() -> dribbleHead(listener, connector, head), pool),
                CompletableFuture.supplyAsync(() -> slowRequest(listener, connector, refused), pool),
                CompletableFuture.supplyAsync(() -> dribbleBody(listener, connector, bodyHead), pool));
    }

    /** A head, one byte every 700 ms, until the daemon answers or closes. */
    private static Outcome dribbleHead(String listener, CaseRunner.Connector connector, String head) {
        String kind = "head, 1 byte / 700 ms";
        long start = System.nanoTime();
        long limit = PARSE_TIMEOUT.plus(SLACK).toMillis();
        try (UnixHttp http = connector.connect()) {
            http.readTimeout(Duration.ofMillis(700)); // the read's timeout paces the writes
            for (int i = 0; elapsedMs(start) < limit; i++) {
                try {
                    http.write(new byte[] {(byte) head.charAt(i % head.length())});
                } catch (IOException e) {
                    return new Outcome(listener, kind, "closed after " + elapsedMs(start) + " ms (write refused)", true);
                }
                try {
                    UnixHttp.Response response = http.read();
                    String outcome = CaseRunner.outcome(response, false);
                    return new Outcome(listener, kind, outcome + " after " + elapsedMs(start) + " ms",
                            response == null || response.status() / 100 == 4);
                } catch (IOException e) {
                    if (!UnixHttp.isTimeout(e)) {
                        return new Outcome(listener, kind, "closed after " + elapsedMs(start) + " ms (" + e.getMessage() + ")",
                                true);
                    }
                }
            }
            return new Outcome(listener, kind, "still open after " + elapsedMs(start) + " ms", false);
        } catch (IOException e) {
            return new Outcome(listener, kind, "failed: " + e, false);
        }
    }

    /** A whole refused request, one byte every 20 ms: it must still be answered 4xx. */
    private static Outcome slowRequest(String listener, CaseRunner.Connector connector, String request) {
        String kind = "whole request, 1 byte / 20 ms";
        try (UnixHttp http = connector.connect()) {
            for (byte b : request.getBytes(StandardCharsets.ISO_8859_1)) {
                http.write(new byte[] {b});
                Thread.sleep(20);
            }
            UnixHttp.Response response = http.read();
            return new Outcome(listener, kind, CaseRunner.outcome(response, false), response != null && response.status() / 100 == 4);
        } catch (IOException | InterruptedException e) {
            return new Outcome(listener, kind, "failed: " + e, false);
        }
    }

    /** A head at once, then its 64-byte body one byte every 500 ms for 12 s, then a half-close. */
    private static Outcome dribbleBody(String listener, CaseRunner.Connector connector, String head) {
        String kind = "body, 1 byte / 500 ms for 12 s";
        try (UnixHttp http = connector.connect(Duration.ofSeconds(10))) {
            http.write(head);
            try {
                for (int i = 0; i < 24; i++) {
                    Thread.sleep(500);
                    http.write("{");
                }
                http.shutdownOutput();
            } catch (IOException e) {
                // the daemon answered and closed early: read what it said
            }
            UnixHttp.Response response = http.read();
            String outcome = CaseRunner.outcome(response, false);
            return new Outcome(listener, kind, outcome, response == null || response.status() / 100 == 4);
        } catch (IOException e) {
            boolean closed = !UnixHttp.isTimeout(e);
            return new Outcome(listener, kind, closed ? "closed (" + e.getMessage() + ")" : "hang (no answer in 10 s)", closed);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(listener, kind, "interrupted", false);
        }
    }

    private static long elapsedMs(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
