package clf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.protocol.RequesterName;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole commands against a {@link FakeDaemon}: what is sent, and how each answer is shown. */
class RoundTripTest {
    private static final String JOB_ID = "3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b";
    private static final String JOB = """
            {"jobId":"%s","kind":"cattle.spawn","status":"%s","requester":"maren","idempotencyKey":"123",\
            "priority":0,"createdAt":"2026-01-17T21:08:30.000Z","updatedAt":"2026-01-17T21:08:32.000Z",\
            "runAt":"2026-01-17T21:08:30.000Z","attempt":1,"maxAttempts":3,"lastError":"%s",\
            "cancelRequested":false}""";

    @TempDir
    Path dir;

    private FakeDaemon daemon;

    @AfterEach
    void stop() throws Exception {
        if (daemon != null) {
            daemon.close();
        }
    }

    private Path socket() {
        return dir.resolve("orchestrator.sock");
    }

    private void serve(FakeDaemon.Handler handler) throws IOException {
        daemon = new FakeDaemon(socket(), handler);
    }

    private void answer(int status, String body) throws IOException {
        serve(request -> FakeDaemon.json(status, body));
    }

    private CliRun.Result run(String... args) {
        return CliRun.run(Map.of("CLF_SOCKET_PATH", socket().toString()), new CliRun.FakeTicker(), args);
    }

    private static String job(String status, String lastError) {
        return JOB.formatted(JOB_ID, status, lastError);
    }

    @Test
    void seedCommandSendsTheV1EnqueueRequestAndPrintsThePrettyAnswer() throws IOException {
        answer(200, "{\"protocolVersion\":1,\"jobId\":\"" + JOB_ID + "\",\"deduped\":false}");
        Path task = Files.writeString(dir.resolve("task.json"), """
                {"schemaVersion":1,"taskId":"t-1","type":"clawdbot.gateway.agent","message":"fix the build",
                 "callbackUrl":"https://example.test/cb"}""");

        CliRun.Result result = run("jobs", "enqueue", "cattle.spawn", "--requester", "maren",
                "--idempotency-key", "123", "--identity", "rex", "--task-file", task.toString(), "--ttl", "2h", "--json");

        assertEquals(Main.OK, result.exitCode(), result.toString());
        FakeDaemon.Request request = daemon.requests().get(0);
        assertEquals("POST", request.method());
        assertEquals("/v1/jobs/enqueue", request.target());
        assertEquals("application/json", request.header("Content-Type"));
        assertEquals("close", request.header("Connection"));
        assertEquals(String.valueOf(request.body().getBytes(StandardCharsets.UTF_8).length),
                request.header("Content-Length"));
        assertEquals("{\"protocolVersion\":1,\"requester\":\"maren\",\"idempotencyKey\":\"123\","
                + "\"kind\":\"cattle.spawn\",\"payload\":{\"identity\":\"rex\",\"task\":{\"schemaVersion\":1,"
                + "\"taskId\":\"t-1\",\"type\":\"clawdbot.gateway.agent\",\"message\":\"fix the build\","
                + "\"callbackUrl\":\"https://example.test/cb\"},\"ttl\":\"2h\",\"image\":\"\",\"serverType\":\"\","
                + "\"location\":\"\"},\"runAt\":\"\",\"priority\":0}", request.body());
        assertEquals("""
                {
                  "protocolVersion": 1,
                  "jobId": "%s",
                  "deduped": false
                }
                """.formatted(JOB_ID), result.out());
        assertEquals("", result.err());
    }

    static String ownRequester() {
        return RequesterName.ofOperator(System.getProperty("user.name"), RequesterName.DEFAULT_PREFIX);
    }

    @Test
    void whenTheOrchestratorBindsThisUserToAnotherNameItIsAskedAgainWithoutOne() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(ownRequester() != null, "this user name makes no requester name");
        serve(request -> request.body().contains("\"requester\"")
                ? FakeDaemon.json(403, "{\"protocolVersion\":1,\"error\":{\"message\":\"requester: you may only enqueue"
                        + " as yourself ('maren'), got 'x'\",\"code\":\"forbidden\"}}")
                : FakeDaemon.json(200, "{\"protocolVersion\":1,\"jobId\":\"" + JOB_ID + "\",\"deduped\":false}"));

        CliRun.Result result = run("jobs", "enqueue", "cattle.reap");

        assertEquals(Main.OK, result.exitCode(), result.toString());
        assertEquals(2, daemon.requests().size());
        assertTrue(daemon.requests().get(0).body().contains("\"requester\":\"" + ownRequester() + "\""));
        assertTrue(!daemon.requests().get(1).body().contains("\"requester\""), daemon.requests().get(1).body());
    }

    @Test
    void anExplicitRequesterIsNeverDropped() throws IOException {
        answer(403, "{\"protocolVersion\":1,\"error\":{\"message\":\"nope\",\"code\":\"forbidden\"}}");

        CliRun.Result result = run("jobs", "enqueue", "cattle.reap", "--requester", "oskar");

        assertEquals(Main.REFUSED, result.exitCode(), result.toString());
        assertEquals(1, daemon.requests().size());
    }

    @Test
    void camelCaseFlagsAndDoubleDashesAreAcceptedAsInV1() throws IOException {
        answer(200, "{\"protocolVersion\":1,\"jobId\":\"" + JOB_ID + "\",\"deduped\":true}");

        CliRun.Result result = run("--", "jobs", "enqueue", "--", "--kind=cattle.spawn", "--idempotencyKey", "k",
                "--identity", "rex", "--taskId", "t", "--message", "hi", "--callbackUrl=https://x.test/",
                "--serverType", "cx22", "--noAutoShutdown", "--maxAttempts", "2", "--runAt", "2026-01-18T00:00:00+01:00",
                "--priority", "-5");

        assertEquals(Main.OK, result.exitCode(), result.toString());
        assertEquals(JOB_ID + "\n", result.out());
        assertTrue(result.err().startsWith("deduped:"), result.toString());
        // No --requester: the one the orchestrator binds this user to, which v1 orchestrators need.
        assertEquals("{\"protocolVersion\":1,\"requester\":\"" + ownRequester() + "\",\"idempotencyKey\":\"k\","
                + "\"kind\":\"cattle.spawn\",\"payload\":"
                + "{\"identity\":\"rex\",\"task\":{\"schemaVersion\":1,\"taskId\":\"t\",\"type\":\"clawdbot.gateway.agent\","
                + "\"message\":\"hi\",\"callbackUrl\":\"https://x.test/\"},\"ttl\":\"\",\"image\":\"\",\"serverType\":\"cx22\","
                + "\"location\":\"\",\"autoShutdown\":false},\"runAt\":\"2026-01-17T23:00:00.000Z\",\"priority\":-5,"
                + "\"maxAttempts\":2}", daemon.requests().get(0).body());
    }

    @Test
    void reapSendsItsDryRunPayload() throws IOException {
        answer(200, "{\"protocolVersion\":1,\"jobId\":\"r1\",\"deduped\":false}");

        CliRun.Result result = run("jobs", "enqueue", "cattle.reap", "--dryRun");

        assertEquals(Main.OK, result.exitCode(), result.toString());
        assertTrue(daemon.requests().get(0).body().contains("\"kind\":\"cattle.reap\",\"payload\":{\"dryRun\":true}"),
                daemon.requests().get(0).body());
    }

    @Test
    void listSendsValidatedFiltersAndPrintsTheTableAndAMoreHint() throws IOException {
        answer(200, "{\"protocolVersion\":1,\"jobs\":[" + job("running", "")
                + ",{\"jobId\":\"abc\",\"kind\":\"cattle.reap\",\"status\":\"done\",\"attempt\":1,\"maxAttempts\":10,"
                + "\"updatedAt\":\"2026-01-17T20:00:00.000Z\"}],\"nextCursor\":\"c/2 x\"}");

        CliRun.Result result = run("jobs", "list", "--requester", "maren", "--status", "running, done",
                "--kind", "cattle.spawn,cattle.reap", "--limit", "2");

        assertEquals(Main.OK, result.exitCode(), result.toString());
        assertEquals("/v1/jobs?requester=maren&status=running%2Cdone&kind=cattle.spawn%2Ccattle.reap&limit=2&internal=1",
                daemon.requests().get(0).target());
        assertEquals("""
                JOB       KIND          STATUS   ATT   UPDATED
                3f2a9c1e  cattle.spawn  running  1/3   2026-01-17 21:08:32.000
                abc       cattle.reap   done     1/10  2026-01-17 20:00:00.000
                """, result.out());
        assertEquals("more: clf jobs list --requester maren --status running,done --kind cattle.spawn,cattle.reap"
                + " --limit 2 --cursor 'c/2 x'\n", result.err());
    }

    @Test
    void emptyListPrintsOnlyTheHeader() throws IOException {
        answer(200, "{\"protocolVersion\":1,\"jobs\":[],\"nextCursor\":null}");

        CliRun.Result result = run("jobs", "list");

        assertEquals(Main.OK, result.exitCode(), result.toString());
        assertEquals("/v1/jobs?internal=1", daemon.requests().get(0).target());
        assertEquals("JOB  KIND  STATUS  ATT  UPDATED\n", result.out());
        assertEquals("", result.err());
    }

    @Test
    void aLimitOutOfRangeIsClampedAsV1DidNotRefused() throws IOException {
        answer(200, "{\"protocolVersion\":1,\"jobs\":[],\"nextCursor\":null}");
        answer(200, "{\"protocolVersion\":1,\"jobs\":[],\"nextCursor\":null}");

        assertEquals(Main.OK, run("jobs", "list", "--limit", "1000", "--json").exitCode());
        assertEquals(Main.OK, run("jobs", "list", "--limit", "0", "--json").exitCode());

        assertEquals("/v1/jobs?limit=500&internal=1", daemon.requests().get(0).target());
        assertEquals("/v1/jobs?limit=1&internal=1", daemon.requests().get(1).target());
    }

    @Test
    void listJsonPrintsTheAnswerPretty() throws IOException {
        answer(200, "{\"protocolVersion\":1,\"jobs\":[],\"nextCursor\":null}");

        CliRun.Result result = run("jobs", "list", "--json");

        assertEquals("{\n  \"protocolVersion\": 1,\n  \"jobs\": [],\n  \"nextCursor\": null\n}\n", result.out());
    }

    @Test
    void showPrintsAlignedKeysThenPayloadAndResult() throws IOException {
        String job = job("done", "");
        answer(200, "{\"protocolVersion\":1,\"job\":" + job.substring(0, job.length() - 1)
                + ",\"payload\":{\"identity\":\"rex\",\"tags\":[]},\"result\":{\"server\":{\"id\":42}}}}");

        CliRun.Result result = run("jobs", "show", JOB_ID);

        assertEquals(Main.OK, result.exitCode(), result.toString());
        assertEquals("/v1/jobs/" + JOB_ID + "?internal=1", daemon.requests().get(0).target());
        assertEquals("""
                jobId            3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b
                kind             cattle.spawn
                status           done
                requester        maren
                idempotencyKey   123
                priority         0
                attempt          1/3
                createdAt        2026-01-17 21:08:30.000
                updatedAt        2026-01-17 21:08:32.000
                runAt            2026-01-17 21:08:30.000
                cancelRequested  false
                lastError        -
                payload:
                {
                  "identity": "rex",
                  "tags": []
                }
                result:
                {
                  "server": {
                    "id": 42
                  }
                }
                """, result.out());
    }

    @Test
    void jobIdIsPercentEncodedInThePath() throws IOException {
        answer(200, "{\"protocolVersion\":1,\"job\":" + job("queued", "") + "}");

        run("jobs", "show", "--job-id", "a/b c");

        assertEquals("/v1/jobs/a%2Fb%20c?internal=1", daemon.requests().get(0).target());
    }

    @Test
    void cancelPrintsOkAndNotesARunningJob() throws IOException {
        answer(200, "{\"protocolVersion\":1,\"ok\":true,\"jobId\":\"j1\",\"status\":\"running\",\"cancelRequested\":true}");

        CliRun.Result result = run("jobs", "cancel", "--jobId", "j1");

        assertEquals(Main.OK, result.exitCode(), result.toString());
        FakeDaemon.Request request = daemon.requests().get(0);
        assertEquals("POST /v1/jobs/j1/cancel", request.method() + " " + request.target());
        assertEquals("", request.body());
        assertEquals("0", request.header("Content-Length"));
        assertEquals("ok\n", result.out());
        assertEquals("cancel requested; the job ends when its worker stops\n", result.err());
    }

    @Test
    void cancelOfAFinishedJobIsRefusedWithTheServersWords() throws IOException {
        answer(409, "{\"protocolVersion\":1,\"error\":{\"message\":\"job not cancelable (status=done)\","
                + "\"code\":\"not_cancelable\"}}");

        CliRun.Result result = run("jobs", "cancel", "j1");

        assertEquals(Main.REFUSED, result.exitCode(), result.toString());
        assertEquals("clf: cancel failed: HTTP 409: job not cancelable (status=done)\n", result.err());
        assertEquals("", result.out());
    }

    @Test
    void unknownJobInJsonModeIsTheErrorDocumentOnStdout() throws IOException {
        answer(404, "{\"protocolVersion\":1,\"error\":{\"message\":\"job not found\",\"code\":\"not_found\"}}");

        CliRun.Result result = run("jobs", "show", "nope", "--json");

        assertEquals(Main.REFUSED, result.exitCode(), result.toString());
        assertEquals("""
                {
                  "ok": false,
                  "error": {
                    "message": "show failed: HTTP 404: job not found",
                    "code": "not_found",
                    "httpStatus": 404
                  }
                }
                """, result.out());
        assertEquals("", result.err());
    }

    @Test
    void errorWithoutAJsonBodyStillGetsTheCodeOfItsStatus() throws IOException {
        answer(503, "upstream down");

        CliRun.Result result = run("jobs", "show", "j1", "--json");

        assertEquals(Main.REFUSED, result.exitCode(), result.toString());
        assertTrue(result.out().contains("\"message\": \"show failed: HTTP 503: upstream down\""), result.out());
        assertTrue(result.out().contains("\"code\": \"unavailable\""), result.out());
    }

    @Test
    void eventsPrintsTheirTable() throws IOException {
        answer(200, "{\"protocolVersion\":1,\"jobId\":\"j1\",\"events\":["
                + "{\"id\":1,\"at\":\"2026-01-17T21:08:30.000Z\",\"type\":\"enqueue\",\"message\":\"\",\"attempt\":0},"
                + "{\"id\":2,\"at\":\"2026-01-17T21:08:31.000Z\",\"type\":\"fail\",\"message\":\"boom\\nline 2\",\"attempt\":1}]}");

        CliRun.Result result = run("jobs", "events", "j1");

        assertEquals(Main.OK, result.exitCode(), result.toString());
        assertEquals("/v1/jobs/j1/events", daemon.requests().get(0).target());
        assertEquals("""
                AT                       TYPE     ATTEMPT  MESSAGE
                2026-01-17 21:08:30.000  enqueue  0
                2026-01-17 21:08:31.000  fail     1        boom line 2
                """, result.out());
    }

    @Test
    void waitPollsUntilDoneAndExitsZero() throws IOException {
        Deque<String> statuses = new ArrayDeque<>(List.of("queued", "running", "done"));
        serve(request -> FakeDaemon.json(200, "{\"protocolVersion\":1,\"job\":" + job(statuses.poll(), "") + "}"));
        CliRun.FakeTicker ticker = new CliRun.FakeTicker();

        CliRun.Result result = CliRun.run(Map.of(), ticker, "jobs", "wait", "j1", "--socket", socket().toString(),
                "--interval", "5s", "--json");

        assertEquals(Main.OK, result.exitCode(), result.toString());
        assertEquals(3, daemon.requests().size());
        assertEquals(List.of(Duration.ofSeconds(5), Duration.ofSeconds(5)), ticker.sleeps);
        assertTrue(result.out().contains("\"status\": \"done\""), result.out());
    }

    @Test
    void waitForAJobThatFailedExitsFourAndSaysWhy() throws IOException {
        answer(200, "{\"protocolVersion\":1,\"job\":" + job("failed", "hcloud: quota exceeded") + "}");

        CliRun.Result result = run("jobs", "wait", "j1");

        assertEquals(Main.NOT_DONE, result.exitCode(), result.toString());
        assertTrue(result.out().contains("status           failed"), result.out());
        assertEquals("clf: job j1 ended failed: hcloud: quota exceeded\n", result.err());
    }

    @Test
    void waitGivesUpAtItsTimeoutWithExitFour() throws IOException {
        answer(200, "{\"protocolVersion\":1,\"job\":" + job("running", "") + "}");
        CliRun.FakeTicker ticker = new CliRun.FakeTicker();

        CliRun.Result result = CliRun.run(Map.of("CLF_SOCKET_PATH", socket().toString()), ticker,
                "jobs", "wait", "j1", "--timeout", "5s", "--interval", "2s", "--json");

        assertEquals(Main.NOT_DONE, result.exitCode(), result.toString());
        assertEquals(List.of(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(1)), ticker.sleeps);
        assertEquals(4, daemon.requests().size());
        assertTrue(result.out().contains("\"message\": \"job j1 is still running after 5s\""), result.out());
        assertTrue(result.out().contains("\"code\": \"wait_timeout\""), result.out());
    }

    static final String NOT_STARTED = "{\"state\":\"not-started\"}";
    static final String STARTED = "{\"state\":\"started\",\"at\":\"2026-01-17T21:09:00.000Z\"}";

    static String finished(int exitCode) {
        return "{\"state\":\"finished\",\"at\":\"2026-01-17T21:10:00.000Z\",\"exitCode\":" + exitCode
                + ",\"durationMs\":1500,\"summary\":\"all good\\nbut\\u001b[31m red\"}";
    }

    /** A spawn job's answer with its {@code task} (issue 13 §2). */
    static String withTask(String status, String task) {
        String job = job(status, "");
        return "{\"protocolVersion\":1,\"job\":" + job.substring(0, job.length() - 1) + ",\"task\":" + task + "}}";
    }

    @Test
    void waitTaskPollsPastTheSpawnsEndUntilTheTaskFinishedWithExitZero() throws IOException {
        Deque<String> answers = new ArrayDeque<>(List.of(withTask("running", NOT_STARTED), withTask("done", NOT_STARTED),
                withTask("done", STARTED), withTask("done", finished(0))));
        serve(request -> FakeDaemon.json(200, answers.poll()));

        CliRun.Result result = run("jobs", "wait", "j1", "--task", "--interval", "1s");

        assertEquals(Main.OK, result.exitCode(), result.toString());
        assertEquals(4, daemon.requests().size());
        assertTrue(result.out().contains("task             finished, exit 0 after 1.5 s: all good but [31m red\n"),
                "one line, no controls: " + result.out());
    }

    @Test
    void waitTaskExitsFourForANonZeroExitCodeAndSaysIt() throws IOException {
        answer(200, withTask("done", finished(3)));

        CliRun.Result result = run("jobs", "wait", "j1", "--task");

        assertEquals(Main.NOT_DONE, result.exitCode(), result.toString());
        assertTrue(result.out().contains("task             finished, exit 3 after 1.5 s"), result.out());
        assertEquals("clf: the task of job j1 ended with exit code 3\n", result.err());
    }

    @Test
    void waitTaskExitsFourWhenTheSpawnFailedOrTimeRanOut() throws IOException {
        answer(200, withTask("failed", NOT_STARTED));
        CliRun.Result failed = run("jobs", "wait", "j1", "--task");
        assertEquals(Main.NOT_DONE, failed.exitCode(), failed.toString());
        assertEquals("clf: job j1 ended failed\n", failed.err());
        daemon.close();

        answer(200, withTask("done", STARTED));
        CliRun.Result timedOut = run("jobs", "wait", "j1", "--task", "--timeout", "3s", "--interval", "1s", "--json");
        assertEquals(Main.NOT_DONE, timedOut.exitCode(), timedOut.toString());
        assertTrue(timedOut.out().contains("\"message\": \"the task of job j1 is still started after 3s\""), timedOut.out());
        assertTrue(timedOut.out().contains("\"code\": \"wait_timeout\""), timedOut.out());
    }

    @Test
    void waitTaskOnAJobWithoutATaskIsRefused() throws IOException {
        answer(200, "{\"protocolVersion\":1,\"job\":" + job("done", "").replace("cattle.spawn", "cattle.reap") + "}");

        CliRun.Result result = run("jobs", "wait", "j1", "--task");

        assertEquals(Main.REFUSED, result.exitCode(), "refused before waiting, as other bad input: " + result);
        assertTrue(result.err().contains("--task: job j1 is a cattle.reap job; only a cattle.spawn job has a task"),
                result.err());
    }

    @Test
    void showNamesTheTaskStateInWords() throws IOException {
        answer(200, withTask("done", STARTED));

        CliRun.Result result = run("jobs", "show", "j1");

        assertEquals(Main.OK, result.exitCode(), result.toString());
        assertTrue(result.out().contains("task             started 2026-01-17 21:09:00.000\n"), result.out());
    }

    @Test
    void responseLargerThanTheCapIsRefused() throws IOException {
        serve(request -> FakeDaemon.concat(
                "HTTP/1.1 200 OK\r\nContent-Length: 2000000\r\n\r\n".getBytes(StandardCharsets.US_ASCII), new byte[0]));

        CliRun.Result result = run("jobs", "list");

        assertEquals(Main.REFUSED, result.exitCode(), result.toString());
        assertEquals("clf: response body too large (2000000 bytes; limit 1048576)\n", result.err());
    }

    @Test
    void streamedResponseLargerThanTheCapIsRefused() throws IOException {
        serve(request -> FakeDaemon.concat("HTTP/1.1 200 OK\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
                new byte[1_048_577]));

        CliRun.Result result = run("jobs", "list");

        assertEquals(Main.REFUSED, result.exitCode(), result.toString());
        assertTrue(result.err().startsWith("clf: response body too large ("), result.err());
        assertTrue(result.err().endsWith(" bytes; limit 1048576)\n"), result.err());
    }

    @Test
    void chunkedResponseIsDecoded() throws IOException {
        StringBuilder chunked = new StringBuilder("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
        for (String chunk : List.of("{\"protocolVersion\"", ":1,\"jobs\":[]", "}")) {
            chunked.append(Integer.toHexString(chunk.length())).append("\r\n").append(chunk).append("\r\n");
        }
        chunked.append("0\r\n\r\n");
        serve(request -> chunked.toString().getBytes(StandardCharsets.US_ASCII));

        CliRun.Result result = run("jobs", "list");

        assertEquals(Main.OK, result.exitCode(), result.toString());
        assertEquals("JOB  KIND  STATUS  ATT  UPDATED\n", result.out());
    }

    @Test
    void answerThatIsNotJsonOrOfAnotherProtocolVersionIsRefused() throws IOException {
        Deque<String> bodies = new ArrayDeque<>(List.of("<html>", "{\"protocolVersion\":2,\"jobs\":[]}"));
        serve(request -> FakeDaemon.json(200, bodies.poll()));

        CliRun.Result notJson = run("jobs", "list");
        CliRun.Result otherVersion = run("jobs", "list");

        assertEquals(Main.REFUSED, notJson.exitCode(), notJson.toString());
        assertTrue(notJson.err().startsWith("clf: list failed: invalid JSON response"), notJson.err());
        assertEquals(Main.REFUSED, otherVersion.exitCode(), otherVersion.toString());
        assertEquals("clf: list failed: response has protocolVersion 2; this clf speaks 1\n", otherVersion.err());
    }

    @Test
    void silentDaemonTimesOutWithExitTwo() throws IOException {
        serve(request -> {
            Thread.sleep(1_500);
            return FakeDaemon.json(200, "{}");
        });

        long start = System.nanoTime();
        CliRun.Result result = run("jobs", "show", "j1", "--request-timeout", "1s", "--json");

        assertEquals(Main.REFUSED, result.exitCode(), result.toString());
        assertTrue(result.out().contains("\"message\": \"request timeout after 1000ms\""), result.out());
        assertTrue(result.out().contains("\"code\": \"timeout\""), result.out());
        assertTrue(System.nanoTime() - start < 2_500_000_000L, "took too long");
    }

    @Test
    void socketOptionWinsOverTheEnvironment() throws IOException {
        answer(200, "{\"protocolVersion\":1,\"jobs\":[]}");

        CliRun.Result result = CliRun.run(Map.of("CLF_SOCKET_PATH", dir.resolve("other.sock").toString()),
                new CliRun.FakeTicker(), "jobs", "list", "--socket", socket().toString());

        assertEquals(Main.OK, result.exitCode(), result.toString());
    }
}
