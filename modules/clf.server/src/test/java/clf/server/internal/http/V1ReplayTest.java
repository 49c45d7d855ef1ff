package clf.server.internal.http;

import clf.server.internal.dev.DevDaemonFixture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.protocol.JobKind;
import clf.queue.Job;
import clf.queue.JobStatus;
import clf.queue.JobStore;
import clf.queue.JobStores;
import clf.queue.NewJob;
import com.fasterxml.jackson.jr.ob.JSON;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * The original TypeScript {@code clf} CLI's requests, byte for byte as it sends them (Node 22's
 * http client on a Unix socket: its header order, {@code Host: localhost}, keep-alive, one
 * connection per command; bodies as its client serialises them after filling defaults), replayed
 * against the real daemon on its real socket. Every answer must have the original's shape
 * ({@link V1Shapes}), also once the daemon has jobs of its own kinds, which v1 does not know.
 */
class V1ReplayTest extends DevDaemonFixture {
    /** {@code clf jobs enqueue cattle.spawn --requester maren --idempotency-key 123 --identity rex --task-file ./task.json --ttl 2h --json}. */
    static final String SEED_SPAWN = "{\"protocolVersion\":1,\"requester\":\"maren\",\"idempotencyKey\":\"123\","
            + "\"kind\":\"cattle.spawn\",\"payload\":{\"identity\":\"rex\",\"task\":{\"schemaVersion\":1,"
            + "\"taskId\":\"t-1\",\"type\":\"clawdbot.gateway.agent\",\"message\":\"Summarise the README\","
            + "\"callbackUrl\":\"\"},\"ttl\":\"2h\",\"image\":\"\",\"serverType\":\"\",\"location\":\"\"},"
            + "\"runAt\":\"\",\"priority\":0}";
    /** {@code clf jobs enqueue cattle.spawn --requester maren --identity rex --task-id t2 --message hi --no-auto-shutdown}. */
    static final String INLINE_SPAWN = "{\"protocolVersion\":1,\"requester\":\"maren\",\"idempotencyKey\":\"\","
            + "\"kind\":\"cattle.spawn\",\"payload\":{\"identity\":\"rex\",\"task\":{\"schemaVersion\":1,"
            + "\"taskId\":\"t2\",\"type\":\"clawdbot.gateway.agent\",\"message\":\"hi\",\"callbackUrl\":\"\"},"
            + "\"ttl\":\"\",\"image\":\"\",\"serverType\":\"\",\"location\":\"\",\"autoShutdown\":false},"
            + "\"runAt\":\"\",\"priority\":0}";
    /** {@code clf jobs enqueue cattle.reap --requester maren --dry-run --json}. */
    static final String REAP = "{\"protocolVersion\":1,\"requester\":\"maren\",\"idempotencyKey\":\"\","
            + "\"kind\":\"cattle.reap\",\"payload\":{\"dryRun\":true},\"runAt\":\"\",\"priority\":0}";
    /**
     * {@code clf jobs enqueue cattle.reap --requester maren --run-at <300 days ahead> --priority 5} (a
     * runAt within the daemon's bound, CLF_MAX_RUN_AT_AHEAD).
     */
    static final String LATER_REAP = "{\"protocolVersion\":1,\"requester\":\"maren\",\"idempotencyKey\":\"\","
            + "\"kind\":\"cattle.reap\",\"payload\":{\"dryRun\":false},\"runAt\":\""
            + clf.protocol.WireTime.format(java.time.Instant.now().plus(Duration.ofDays(300))) + "\","
            + "\"priority\":5}";

    JobStore store;

    @BeforeEach
    void startTrustingTheRequester() throws IOException {
        // Trusting the requester field is how v1 deployments ran (every bot one Unix user), and
        // it lets the replay act as "maren" whichever user runs the test.
        start(Map.of("CLF_TRUST_REQUESTER", "1"));
        store = JobStores.openSqlite(Path.of(dev.env().get("CLF_DB_PATH")));
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close(); // before the fixture closes the daemon
        }
    }

    // ------------------------------------------------------------------ the original's requests

    /** An answer, checked for what every v1 answer has: application/json and an exact Content-Length. */
    record Answer(int status, Map<String, String> headers, String body) {
        Object json() throws IOException {
            return JSON.std.anyFrom(body);
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> map() throws IOException {
            return (Map<String, Object>) json();
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    /** {@code GET path} as Node's http.request sends it (no body, no Content-Length). */
    Answer get(String path) throws IOException {
        return exchange("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: keep-alive\r\n\r\n");
    }

    /** A POST with a JSON body: the client's own headers first, then Node's Host and Connection. */
    Answer post(String path, String json) throws IOException {
        int length = json.getBytes(StandardCharsets.UTF_8).length;
        return exchange("POST " + path + " HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: " + length
                + "\r\nHost: localhost\r\nConnection: keep-alive\r\n\r\n" + json);
    }

    /** cancel: a POST without a body, which Node ends with {@code Content-Length: 0}. */
    Answer postWithoutBody(String path, boolean contentLengthZero) throws IOException {
        return exchange("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: keep-alive\r\n"
                + (contentLengthZero ? "Content-Length: 0\r\n" : "") + "\r\n");
    }

    /** One request on its own connection, kept alive: the answer is framed by its Content-Length. */
    Answer exchange(String request) throws IOException {
        try (AFUNIXSocket connection = AFUNIXSocket.newInstance()) {
            connection.connect(AFUNIXSocketAddress.of(socket));
            connection.setSoTimeout(30_000);
            connection.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            connection.getOutputStream().flush();
            InputStream in = connection.getInputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("connection closed inside the head: " + head);
                }
                head.write(b);
            }
            String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
            }
            String length = headers.get("content-length");
            assertTrue(length != null, "v1 answers carry a Content-Length: " + headers);
            byte[] body = in.readNBytes(Integer.parseInt(length));
            assertEquals(Integer.parseInt(length), body.length, "body shorter than its Content-Length");
            return new Answer(Integer.parseInt(lines[0].split(" ")[1]), headers, new String(body, StandardCharsets.UTF_8));
        }
    }

    /** The answer has {@code status}, v1's content type and {@code shape}; returns its JSON. */
    Map<String, Object> expect(Answer answer, int status, V1Shapes.Shape shape) throws IOException {
        assertEquals(status, answer.status(), answer.toString());
        assertEquals("application/json", answer.headers().get("content-type"), "v1's content type, no charset");
        List<String> problems = V1Shapes.problems(shape, answer.json());
        assertTrue(problems.isEmpty(), "not the original's shape: " + problems + "\nin " + answer.body());
        return answer.map();
    }

    // ------------------------------------------------------------------ helpers

    Job awaitEnded(String jobId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            Job job = store.get(jobId).orElseThrow();
            if (job.status().isTerminal()) {
                return job;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("job " + jobId + " still " + job.status() + "\nlog:\n" + logged);
            }
            Thread.sleep(20);
        }
    }

    /** A housekeeping job, enqueued as the daemon's timer does, run to its end by the daemon. */
    String internalJobRun() throws InterruptedException {
        String id = store.enqueue(NewJob.of("clf.prune", "clf", "{}").withIdempotencyKey("clf.prune-replay")).jobId();
        assertEquals(JobStatus.DONE, awaitEnded(id).status(), logged.toString());
        return id;
    }

    static List<String> ids(Map<String, Object> list) {
        List<String> ids = new ArrayList<>();
        for (Object job : (List<?>) list.get("jobs")) {
            ids.add((String) ((Map<?, ?>) job).get("jobId"));
        }
        return ids;
    }

    static Set<Object> kinds(Map<String, Object> list) {
        Set<Object> kinds = new java.util.TreeSet<>();
        for (Object job : (List<?>) list.get("jobs")) {
            kinds.add(((Map<?, ?>) job).get("kind"));
        }
        return kinds;
    }

    // ------------------------------------------------------------------ the replay

    @Test
    void everyOriginalRequestGetsTheOriginalsShapeAlsoWithInternalJobsInTheStore() throws Exception {
        String prune = internalJobRun();

        expect(get("/healthz"), 200, V1Shapes.HEALTH);

        String seed = (String) expect(post("/v1/jobs/enqueue", SEED_SPAWN), 200, V1Shapes.ENQUEUE).get("jobId");
        assertEquals(seed, expect(post("/v1/jobs/enqueue", SEED_SPAWN), 200, V1Shapes.ENQUEUE).get("jobId"),
                "a repeated idempotency key answers the first job");
        String inline = (String) expect(post("/v1/jobs/enqueue", INLINE_SPAWN), 200, V1Shapes.ENQUEUE).get("jobId");
        String reap = (String) expect(post("/v1/jobs/enqueue", REAP), 200, V1Shapes.ENQUEUE).get("jobId");
        String later = (String) expect(post("/v1/jobs/enqueue", LATER_REAP), 200, V1Shapes.ENQUEUE).get("jobId");
        assertEquals(JobStatus.DONE, awaitEnded(seed).status(), logged.toString());
        awaitEnded(inline);
        awaitEnded(reap);

        // clf jobs list
        Map<String, Object> all = expect(get("/v1/jobs?limit=50"), 200, V1Shapes.LIST);
        assertEquals(Set.of(seed, inline, reap, later), Set.copyOf(ids(all)), "v1 kinds only: " + all);
        assertFalse(ids(all).contains(prune));
        // clf jobs list --requester maren --status queued,done --kind cattle.spawn,cattle.reap --limit 2
        Map<String, Object> filtered = expect(get("/v1/jobs?requester=maren&status=queued%2Cdone"
                + "&kind=cattle.spawn%2Ccattle.reap&limit=2"), 200, V1Shapes.LIST);
        assertEquals(2, ids(filtered).size(), filtered.toString());
        // clf jobs list --kind cattle.reap
        assertEquals(Set.of("cattle.reap"), kinds(expect(get("/v1/jobs?kind=cattle.reap&limit=50"), 200, V1Shapes.LIST)));

        // clf jobs show --job-id …
        Map<String, Object> shown = expect(get("/v1/jobs/" + seed), 200, V1Shapes.SHOW);
        Map<?, ?> job = (Map<?, ?>) shown.get("job");
        assertEquals("done", job.get("status"));
        assertTrue(((Map<?, ?>) job.get("result")).containsKey("server"), "a spawn's result names its server: " + job);
        assertEquals("rex", ((Map<?, ?>) job.get("payload")).get("identity"));
        expect(get("/v1/jobs/" + later), 200, V1Shapes.SHOW);
        // a v1 client cannot read the daemon's own kinds, so it does not get them by id either
        expect(get("/v1/jobs/" + prune), 404, V1Shapes.ERROR);
        expect(get("/v1/jobs/00000000-0000-4000-8000-000000000000"), 404, V1Shapes.ERROR);

        // clf jobs cancel --job-id …: Node's bodiless POST, then the same without Content-Length
        expect(postWithoutBody("/v1/jobs/" + later + "/cancel", true), 200, V1Shapes.CANCEL);
        Map<String, Object> again = expect(postWithoutBody("/v1/jobs/" + later + "/cancel", false), 409, V1Shapes.ERROR);
        assertTrue(((String) ((Map<?, ?>) again.get("error")).get("message")).startsWith("job not cancelable (status=canceled)"),
                again.toString());
        expect(postWithoutBody("/v1/jobs/" + seed + "/cancel", true), 409, V1Shapes.ERROR);
        expect(postWithoutBody("/v1/jobs/00000000-0000-4000-8000-000000000000/cancel", true), 404, V1Shapes.ERROR);

        // refusals keep v1's error body
        expect(post("/v1/jobs/enqueue", "{\"protocolVersion\":2}"), 400, V1Shapes.ERROR);
        // Where the original let bad input through, we refuse it, in v1's error shape (README):
        // clf jobs list --status bogus (it listed everything),
        // clf jobs enqueue … --run-at not-a-date (it enqueued for now).
        expect(get("/v1/jobs?status=bogus&limit=50"), 400, V1Shapes.ERROR);
        // A limit out of range is clamped into 1–500, as the original did (scripts send --limit 1000).
        expect(get("/v1/jobs?limit=1000"), 200, V1Shapes.LIST);
        expect(get("/v1/jobs?limit=0"), 200, V1Shapes.LIST);
        expect(get("/v1/jobs?limit=99999999999999999999"), 200, V1Shapes.LIST);
        expect(post("/v1/jobs/enqueue", REAP.replace("\"runAt\":\"\"", "\"runAt\":\"not-a-date\"")), 400,
                V1Shapes.ERROR);
        expect(post("/v1/jobs/enqueue", "{not json"), 400, V1Shapes.ERROR);
        expect(get("/v1/nothing-here"), 404, V1Shapes.ERROR);
    }

    @Test
    void theDaemonsOwnKindsAreListedWhenAskedForByName() throws Exception {
        String prune = internalJobRun();
        String reap = (String) expect(post("/v1/jobs/enqueue", REAP), 200, V1Shapes.ENQUEUE).get("jobId");

        Answer named = get("/v1/jobs?kind=clf.prune&limit=50");
        assertEquals(200, named.status(), named.toString());
        assertEquals(List.of(prune), ids(named.map()));
        Answer mixed = get("/v1/jobs?kind=clf.prune%2Ccattle.reap&limit=50");
        assertEquals(Set.of(prune, reap), Set.copyOf(ids(mixed.map())), mixed.toString());
        Answer every = get("/v1/jobs?internal=1&limit=50");
        assertEquals(Set.of(prune, reap), Set.copyOf(ids(every.map())), every.toString());

        Answer shown = get("/v1/jobs/" + prune + "?kind=clf.prune");
        assertEquals(200, shown.status(), shown.toString());
        assertEquals("clf.prune", ((Map<?, ?>) shown.map().get("job")).get("kind"));
        assertEquals(200, get("/v1/jobs/" + prune + "?internal=1").status());

        // every kind the daemon runs can be asked for
        List<?> running = (List<?>) ((Map<?, ?>) get("/v1/status").map().get("workers")).get("kinds");
        assertTrue(JobKind.LISTABLE.containsAll(running), running + " not all in " + JobKind.LISTABLE);

        Answer unknown = get("/v1/jobs?kind=cattle.nope&limit=50");
        assertEquals(400, unknown.status());
        assertEquals("kind: one of cattle.spawn|cattle.reap|clf.prune, got 'cattle.nope'",
                ((Map<?, ?>) unknown.map().get("error")).get("message"));
    }
}
