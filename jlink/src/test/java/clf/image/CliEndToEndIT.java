package clf.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real bin/clf against the real bin/clf-orchestrator: every command, both output modes, every exit code. */
class CliEndToEndIT {
    @TempDir
    static Path dir;
    static DaemonProcess daemon;
    static Cli clf;
    static Path taskFile;

    @BeforeAll
    static void start() throws Exception {
        daemon = DaemonProcess.start(dir);
        clf = Cli.on(DaemonProcess.socketIn(dir));
        taskFile = dir.resolve("task.json");
        Files.writeString(taskFile, """
                {"schemaVersion": 1, "taskId": "t-1", "type": "clawdbot.gateway.agent", "message": "hello"}
                """);
    }

    @AfterAll
    static void stop() throws Exception {
        daemon.stop();
    }

    static Map<String, Object> json(Image.Result result) throws Exception {
        return JSON.std.mapFrom(result.out());
    }

    static Image.Result ok(Image.Result result) {
        assertEquals(0, result.exitCode(), result.toString());
        return result;
    }

    /** A spawn due far in the future: it stays queued while a test looks at it. */
    String queuedSpawn(String key) throws Exception {
        return (String) json(ok(clf.run("jobs", "enqueue", "cattle.spawn", "--requester", "maren", "--idempotency-key",
                key, "--identity", "rex", "--task-file", taskFile.toString(), "--ttl", "2h", "--run-at", UnixHttp.LATER,
                "--json"))).get("jobId");
    }

    @Test
    void theSeedsSpawnRunsToDoneAndWaitSaysSo() throws Exception {
        String id = (String) json(ok(clf.run("jobs", "enqueue", "cattle.spawn", "--requester", "maren",
                "--idempotency-key", "to-done", "--identity", "rex", "--task-file", taskFile.toString(), "--ttl", "2h",
                "--json"))).get("jobId");

        Image.Result waited = clf.run("jobs", "wait", "--job-id", id, "--timeout", "60s", "--json");
        assertEquals(0, waited.exitCode(), "wait exits 0 when the job ended done\n" + waited);
        Map<?, ?> job = (Map<?, ?>) json(waited).get("job");
        Map<?, ?> server = (Map<?, ?>) ((Map<?, ?>) job.get("result")).get("server");
        assertEquals("running", server.get("status"));
        assertEquals("rex", server.get("identity"));
        // The simulated VM fetches its env after the server is running, which is when the job
        // is done: the event can come a moment after wait returns.
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        Map<String, Object> events;
        do {
            events = json(ok(clf.run("jobs", "events", id, "--json")));
        } while (envFetches(events) == 0 && System.nanoTime() < deadline && sleep(100));
        assertEquals(1L, envFetches(events), "the simulated VM fetched its env once: " + events);
    }

    private static long envFetches(Map<String, Object> events) {
        return ((List<?>) events.get("events")).stream()
                .filter(e -> "cattle.env-fetched".equals(((Map<?, ?>) e).get("type"))).count();
    }

    private static boolean sleep(long millis) throws InterruptedException {
        Thread.sleep(millis);
        return true;
    }

    @Test
    void theSeedsEnqueueWorksAsWrittenAndIsIdempotent() throws Exception {
        Image.Result first = ok(clf.run("jobs", "enqueue", "cattle.spawn", "--requester", "maren",
                "--idempotency-key", "discord-1", "--identity", "rex", "--task-file", taskFile.toString(),
                "--ttl", "2h", "--json"));
        Map<String, Object> answer = json(first);
        assertEquals(1, answer.get("protocolVersion"));
        assertEquals(false, answer.get("deduped"));
        assertTrue(first.out().contains("\n  \"jobId\""), "pretty-printed: " + first.out());

        Map<String, Object> again = json(ok(clf.run("jobs", "enqueue", "cattle.spawn", "--requester", "maren",
                "--idempotency-key", "discord-1", "--identity", "rex", "--task-file", taskFile.toString(),
                "--ttl", "2h", "--json")));
        assertEquals(answer.get("jobId"), again.get("jobId"));
        assertEquals(true, again.get("deduped"));

        Image.Result human = ok(clf.run("jobs", "enqueue", "cattle.reap", "--dry-run"));
        assertTrue(human.out().strip().matches("[0-9a-f-]{36}"), human.toString());
    }

    @Test
    void showListAndEventsInBothModes() throws Exception {
        String id = queuedSpawn("show-1");

        Map<String, Object> shown = json(ok(clf.run("jobs", "show", "--job-id", id, "--json")));
        @SuppressWarnings("unchecked")
        Map<String, Object> job = (Map<String, Object>) shown.get("job");
        assertEquals("queued", job.get("status"));
        assertEquals("maren", job.get("requester"));
        assertEquals(3, job.get("maxAttempts"), "cattle.spawn is tried 3 times by default");
        assertEquals("rex", ((Map<?, ?>) job.get("payload")).get("identity"));
        assertTrue(ok(clf.run("jobs", "show", id)).out().contains("status           queued"));

        Map<String, Object> listed = json(ok(clf.run("jobs", "list", "--requester", "maren", "--kind",
                "cattle.spawn", "--status", "queued", "--json")));
        assertTrue(((List<?>) listed.get("jobs")).stream().anyMatch(j -> id.equals(((Map<?, ?>) j).get("jobId"))));
        Image.Result table = ok(clf.run("jobs", "list", "--requester", "maren"));
        assertTrue(table.out().matches("(?s)JOB +KIND +STATUS +ATT +UPDATED\n.*"), table.toString());
        assertTrue(table.out().lines().anyMatch(line -> line.matches(id.substring(0, 8)
                + "  cattle\\.spawn  queued +0/3  \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}")), table.toString());

        Map<String, Object> events = json(ok(clf.run("jobs", "events", id, "--json")));
        assertEquals("enqueue", ((Map<?, ?>) ((List<?>) events.get("events")).get(0)).get("type"));
        assertTrue(ok(clf.run("jobs", "events", "--job-id", id)).out().startsWith("AT"));
    }

    /** A title change (OSC 0 … BEL), 8-bit CSI, and a right-to-left override, as a bot could write them. */
    static final String HOSTILE = "\u001b]0;pwned\u0007 \u009b31m red \u202Etxt.exe";

    static void assertHarmless(String shown) {
        for (String c : List.of("\u001b", "\u0007", "\u009b", "\u202E")) {
            assertTrue(!shown.contains(c), "U+" + Integer.toHexString(c.charAt(0)) + " reached the terminal: " + shown);
        }
    }

    @Test
    void botTextReachesPeopleWithoutControlsOrBidiOverridesAndScriptsUnchanged() throws Exception {
        Path hostile = dir.resolve("hostile-task.json");
        Files.writeString(hostile, JSON.std.asString(Map.of("schemaVersion", 1, "taskId", "t-h", "type",
                "clawdbot.gateway.agent", "message", HOSTILE)));
        String id = (String) json(ok(clf.run("jobs", "enqueue", "cattle.spawn", "--requester", "maren",
                "--idempotency-key", "hostile-1", "--identity", "rex", "--task-file", hostile.toString(), "--ttl", "2h",
                "--run-at", java.time.Instant.now().plusSeconds(3600).toString(), "--json"))).get("jobId");

        Image.Result human = ok(clf.run("jobs", "show", id));
        assertHarmless(human.out());
        assertTrue(human.out().contains("]0;pwned") && human.out().contains("\uFFFDtxt.exe"),
                "the text is shown, its invisible part marked: " + human.out());
        Map<?, ?> task = (Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) json(ok(clf.run("jobs", "show", id, "--json")))
                .get("job")).get("payload")).get("task");
        assertEquals(HOSTILE, task.get("message"), "--json is the daemon's answer as is");

        // An error quoting a bad value goes to stderr cleaned too.
        Image.Result refused = clf.run("jobs", "show", "--job-id", HOSTILE);
        assertEquals(2, refused.exitCode(), refused.toString());
        assertHarmless(refused.err());
    }

    @Test
    void cancelOfAQueuedJobAndItsRepeat() throws Exception {
        String id = queuedSpawn("cancel-1");

        assertEquals("ok", ok(clf.run("jobs", "cancel", "--job-id", id)).out().strip());
        Image.Result again = clf.run("jobs", "cancel", "--job-id", id, "--json");
        assertEquals(2, again.exitCode(), again.toString());
        Map<String, Object> error = json(again);
        assertEquals(false, error.get("ok"));
        assertTrue(((Map<?, ?>) error.get("error")).get("message").toString().contains("not cancelable (status=canceled)"),
                again.toString());

        Image.Result waited = clf.run("jobs", "wait", id, "--timeout", "5s");
        assertEquals(4, waited.exitCode(), "wait ends 4 for a job that ended other than done\n" + waited);
    }

    @Test
    void aCanceledRunningSpawnEndsCanceledWithItsServerDeletedAndWaitExitsFour() throws Exception {
        // Dev mode boots in 3 s; the lease renewal that used to carry the cancel comes every 30 s.
        String id = (String) json(ok(clf.run("jobs", "enqueue", "cattle.spawn", "--requester", "maren",
                "--idempotency-key", "cancel-running", "--identity", "rex", "--task-file", taskFile.toString(),
                "--ttl", "2h", "--json"))).get("jobId");
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!json(ok(clf.run("jobs", "events", id, "--json"))).toString().contains("cattle.server-created")) {
            assertTrue(System.nanoTime() < deadline, "the spawn never created its server");
            Thread.sleep(50);
        }

        Image.Result canceled = ok(clf.run("jobs", "cancel", "--job-id", id));
        Image.Result waited = clf.run("jobs", "wait", id, "--timeout", "20s", "--interval", "1s");

        assertTrue(canceled.err().contains("cancel requested"), canceled.toString());
        assertEquals(4, waited.exitCode(), "a canceled spawn is not done\n" + waited);
        assertTrue(waited.err().contains("clf: job " + id + " ended canceled: canceled on request"), waited.toString());
        List<?> events = (List<?>) json(ok(clf.run("jobs", "events", id, "--json"))).get("events");
        List<Object> types = events.stream().<Object>map(event -> ((Map<?, ?>) event).get("type"))
                .filter(type -> List.of("cancel-requested", "cattle.server-deleted", "cancel", "ack").contains(type))
                .toList();
        assertEquals(List.of("cancel-requested", "cattle.server-deleted", "cancel"), types, events.toString());
    }

    @Test
    void waitTimesOutWithExitCodeFour() throws Exception {
        String id = queuedSpawn("wait-1");
        Image.Result result = clf.run("jobs", "wait", "--job-id", id, "--timeout", "1s", "--interval", "1s");
        assertEquals(4, result.exitCode(), result.toString());
    }

    @Test
    void everyErrorClassHasItsExitCode() throws Exception {
        Image.Result unknown = clf.run("jobs", "show", "--job-id", "no-such-job", "--json");
        assertEquals(2, unknown.exitCode(), unknown.toString());
        assertTrue(unknown.out().contains("job not found: no-such-job"), unknown.toString());
        assertEquals("", unknown.err(), "JSON mode keeps stderr empty");

        Image.Result badTtl = clf.run("jobs", "enqueue", "cattle.spawn", "--identity", "rex", "--task-id", "t",
                "--message", "m", "--ttl", "2 hours");
        assertEquals(2, badTtl.exitCode(), badTtl.toString());
        assertTrue(badTtl.err().contains("--ttl: a duration like 30s, 15m, 2h or 1d, got '2 hours'"), badTtl.toString());

        Image.Result tooLong = clf.run("jobs", "enqueue", "cattle.spawn", "--identity", "rex", "--task-id", "t",
                "--message", "m", "--ttl", "3d");
        assertEquals(2, tooLong.exitCode(), tooLong.toString());
        assertTrue(tooLong.err().contains("payload.ttl: at most 1d"), "the daemon's limit: " + tooLong);

        Image.Result usage = clf.run("jobs", "show");
        assertEquals(1, usage.exitCode(), usage.toString());

        Image.Result unreachable = Cli.on(dir.resolve("run/missing.sock")).run("jobs", "list");
        assertEquals(3, unreachable.exitCode(), unreachable.toString());
        assertTrue(unreachable.err().contains("no orchestrator socket at"), unreachable.toString());
    }
}
