package clf.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.image.MalformedRequests.Case;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Over a thousand malformed requests, written as raw bytes to the real daemon's socket. None
 * may get a 2xx/3xx/5xx, hang, or create a job; /healthz answers throughout. The seed is
 * {@code -Dclf.malformed.seed} (default fixed) so a failure can be replayed; the summary of
 * which inputs got which answers is printed.
 */
class MalformedRequestsIT {
    private static final long SEED = Long.getLong("clf.malformed.seed", 20261127L);
    /** Undertow's REQUEST_PARSE_TIMEOUT in Daemon (not configurable): a stalled head is dropped after it. */
    private static final Duration PARSE_TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    private DaemonProcess daemon;

    @BeforeEach
    void start() throws Exception {
        // Per-request lines (job.enqueued) are DEBUG: on here, as this test counts them.
        daemon = DaemonProcess.start(dir, java.util.Map.of("CLF_LOG_LEVEL", "debug"));
    }

    @AfterEach
    void stop() throws Exception {
        daemon.stopAndClose();
    }

    @Test
    void malformedRequestsAreRefusedWithoutHarm() throws Exception {
        Path socket = daemon.socket();
        List<Object> before = seedJobsAndList(socket);
        List<Case> cases = MalformedRequests.generate(SEED);
        int requests = cases.stream().mapToInt(c -> Math.max(1, c.responses())).sum();
        assertTrue(requests >= 1000, "only " + requests + " requests");

        // Two clients stall in the middle of a request line for the whole run, one sends a head slowly.
        List<Stalled> stalled = List.of(Stalled.open(socket, "GET /heal"), Stalled.open(socket, "POST /v1/jobs/enq"));
        CompletableFuture<String> slow = CompletableFuture.supplyAsync(() -> slowRequest(socket));

        CaseRunner.Tally tally = new CaseRunner.Tally();
        List<String> violations = new ArrayList<>();
        long start = System.nanoTime();
        try (CaseRunner runner = new CaseRunner(timeout -> UnixHttp.connect(socket, timeout))) {
            for (int i = 0; i < cases.size(); i++) {
                tally.add(i, cases.get(i), runner.run(cases.get(i)));
                if (i % 100 == 99) {
                    assertHealthy(socket, "after case #" + i);
                }
            }
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertHealthy(socket, "after all cases");

        String slowOutcome = slow.get(30, TimeUnit.SECONDS);
        if (!slowOutcome.startsWith("json 4")) {
            violations.add("slow head (1 byte / 20 ms): " + slowOutcome);
        }
        Map<String, Integer> stalledOutcomes = new TreeMap<>();
        for (Stalled s : stalled) {
            String outcome = s.awaitClose(PARSE_TIMEOUT.plusSeconds(5));
            stalledOutcomes.merge(outcome, 1, Integer::sum);
            if (!outcome.startsWith("closed")) {
                violations.add("stalled head not dropped after the parse timeout: " + outcome);
            }
        }

        List<Object> after = listAll(socket);
        System.out.printf("MalformedRequestsIT: %d cases, %d requests in %d ms (seed %d)%n", cases.size(), requests, ms, SEED);
        tally.byCategory().forEach((category, outcomes) -> System.out.printf("  %-18s %s%n", category, outcomes));
        System.out.printf("  %-18s %s%n", "stalled-head", stalledOutcomes);
        violations.addAll(tally.violations());
        violations.forEach(v -> System.out.println("  VIOLATION " + v));

        assertEquals(before, after, "malformed requests changed the store");
        assertEquals(3, count(daemon.out(), "DEBUG job.enqueued"), "enqueue log lines: only the three seeded jobs");
        assertTrue(violations.isEmpty(), violations.size() + " violations (seed " + SEED + "):\n  "
                + String.join("\n  ", violations.subList(0, Math.min(60, violations.size()))));
    }

    /**
     * A body that ends early (client half-close, or broken chunking) once made BotApi send
     * nothing, and Undertow completed the exchange with its default "200 OK".
     */
    @Test
    void bodyCutShortIsNotAnsweredWithSuccess() throws Exception {
        String body = MalformedRequests.json(MalformedRequests.reap());
        String head = "POST /v1/jobs/enqueue HTTP/1.1\r\nHost: clf\r\nContent-Length: " + body.length() + "\r\n\r\n";
        List<String> outcomes = new ArrayList<>();
        try (UnixHttp http = UnixHttp.connect(daemon.socket())) {
            http.write(head + body.substring(0, body.length() / 2));
            http.shutdownOutput();
            outcomes.add("half-closed body: " + CaseRunner.outcome(http.read(), false));
        }
        try (UnixHttp http = UnixHttp.connect(daemon.socket())) {
            http.write("POST /v1/jobs/enqueue HTTP/1.1\r\nHost: clf\r\nTransfer-Encoding: chunked\r\n\r\n3\r\n{\"pdef\r\n0\r\n\r\n");
            outcomes.add("bad chunk: " + CaseRunner.outcome(http.read(), false));
        }
        for (String outcome : outcomes) {
            assertTrue(!outcome.matches(".* 2\\d\\d"), "a request whose body ended early got " + outcome + "; all: " + outcomes);
        }
        assertEquals(0, count(daemon.out(), "DEBUG job.enqueued"));
    }

    /**
     * Bots that send a head and stall in the body once held an XNIO task thread each (BotApi read
     * bodies blocking): at 32 stallers (WORKER_TASK_MAX_THREADS in Daemon) nothing was served,
     * /healthz included. 40 stallers is well under CLF_MAX_CONNECTIONS (256).
     */
    @Test
    void clientsStallingInTheBodyDoNotStarveOthers() throws Exception {
        Path socket = daemon.socket();
        List<UnixHttp> stallers = new ArrayList<>();
        try {
            for (int i = 0; i < 40; i++) {
                UnixHttp http = UnixHttp.connect(socket);
                stallers.add(http);
                http.write("POST /v1/jobs/enqueue HTTP/1.1\r\nHost: clf\r\nContent-Length: 100\r\n\r\n{\"protocolVer");
            }
            Thread.sleep(300); // let them reach the handler
            long start = System.nanoTime();
            UnixHttp.Response health;
            try (UnixHttp http = UnixHttp.connect(socket, Duration.ofSeconds(3))) {
                http.write(UnixHttp.request("GET", "/healthz", null));
                health = http.read();
            } catch (IOException e) {
                throw new AssertionError("/healthz not answered within 3 s while 40 clients stall in a body "
                        + "(threads: " + daemon.threads() + ")", e);
            }
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertNotNull(health);
            assertEquals(200, health.status());
            System.out.println("MalformedRequestsIT: /healthz with 40 stalled bodies answered in " + ms + " ms");
        } finally {
            for (UnixHttp http : stallers) {
                http.close();
            }
        }
        assertHealthy(socket, "after the stallers left");
    }

    // ------------------------------------------------------------------ helpers

    /** Seeds three jobs (so "unchanged" is not trivially empty) and returns the full listing. */
    private static List<Object> seedJobsAndList(Path socket) throws IOException {
        for (String body : List.of(UnixHttp.reapBody("seed-1"), UnixHttp.reapBody("seed-2"),
                MalformedRequests.json(MalformedRequests.spawn()))) {
            UnixHttp.Response response = UnixHttp.call(socket, "POST", "/v1/jobs/enqueue", body);
            assertEquals(200, response.status(), response.toString());
        }
        List<Object> jobs = listAll(socket);
        assertEquals(3, jobs.size());
        return jobs;
    }

    /** Every job (the caller, root, is an operator), as the API lists them. */
    @SuppressWarnings("unchecked")
    static List<Object> listAll(Path socket) throws IOException {
        UnixHttp.Response response = UnixHttp.call(socket, "GET", "/v1/jobs?limit=500", null);
        assertEquals(200, response.status(), response.toString());
        return (List<Object>) response.json().get("jobs");
    }

    static void assertHealthy(Path socket, String when) {
        try {
            UnixHttp.Response response = UnixHttp.call(socket, "GET", "/healthz", null);
            assertEquals(200, response.status(), "/healthz " + when + ": " + response);
        } catch (IOException e) {
            throw new AssertionError("/healthz " + when + " failed", e);
        }
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
            n++;
        }
        return n;
    }

    /** An invalid enqueue whose head arrives one byte every 20 ms: it must still be answered. */
    private static String slowRequest(Path socket) {
        byte[] bytes = UnixHttp.request("POST", "/v1/jobs/enqueue", "{\"protocolVersion\":1,\"kind\":5}")
                .getBytes(StandardCharsets.UTF_8);
        try (UnixHttp http = UnixHttp.connect(socket)) {
            for (byte b : bytes) {
                http.write(new byte[] {b});
                Thread.sleep(20);
            }
            return CaseRunner.outcome(http.read(), false);
        } catch (IOException | InterruptedException e) {
            return "failed: " + e;
        }
    }

    /** A connection that sent part of a request line and then nothing. */
    private record Stalled(UnixHttp http, long openedAt) {
        static Stalled open(Path socket, String partial) throws IOException {
            UnixHttp http = UnixHttp.connect(socket, Duration.ofSeconds(30));
            http.write(partial);
            return new Stalled(http, System.nanoTime());
        }

        /** "closed after N ms" once the daemon drops it, or what happened instead. */
        String awaitClose(Duration within) throws IOException {
            try (http) {
                long left = within.toMillis() - (System.nanoTime() - openedAt) / 1_000_000;
                http.readTimeout(Duration.ofMillis(Math.max(1, left)));
                int bytes = http.readToEof();
                return "closed after " + (System.nanoTime() - openedAt) / 1_000_000 + " ms" + (bytes > 0 ? " (" + bytes + " bytes)" : "");
            } catch (IOException e) {
                return UnixHttp.isTimeout(e) ? "still open after " + within.toSeconds() + " s" : "error " + e;
            }
        }
    }
}
