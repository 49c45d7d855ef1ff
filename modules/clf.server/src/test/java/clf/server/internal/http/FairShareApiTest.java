package clf.server.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.server.internal.Daemon;
import clf.server.internal.config.OrchestratorConfig;
import clf.server.internal.dev.DevMode;
import clf.server.internal.log.Log;
import clf.server.internal.status.SocketHttp;
import clf.testing.HostTool;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 11 against the real daemon on its real socket: bots (other Unix users, via setpriv and
 * curl) get a share of the queue, operators (this test's own user) are exempt, and one bad
 * request never fails another's.
 */
class FairShareApiTest {
    static final int BOTS_GID = 4300;
    static final int ALICE = 4242;
    static final int BOB = 4243;
    static final String LATER = java.time.Instant.now().plus(Duration.ofDays(30))
            .truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();

    final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    final Log log = new Log(new PrintStream(logged, true, StandardCharsets.UTF_8), Clock.systemUTC());
    Path dir;
    DevMode dev;
    Daemon daemon;
    Path socket;

    void start(Map<String, String> settings) throws Exception {
        // Not a @TempDir (0700): the bot users must reach the socket.
        dir = Files.createTempDirectory(Path.of("/tmp"), "clf-fair-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path etc = Files.createDirectories(dir.resolve("etc"));
        Files.writeString(etc.resolve("passwd"), "root:x:0:0::/root:/bin/sh\nbot-alice:x:" + ALICE + ":" + BOTS_GID
                + "::/:/bin/sh\nbot-bob:x:" + BOB + ":" + BOTS_GID + "::/:/bin/sh\n");
        Files.writeString(etc.resolve("group"), "clf-bots:x:" + BOTS_GID + ":bot-alice,bot-bob\n");
        Path sockets = Files.createDirectories(dir.resolve("sock"));
        Files.setPosixFilePermissions(sockets, PosixFilePermissions.fromString("rwxr-xr-x"));
        Map<String, String> env = new HashMap<>(Map.of("CLF_SHUTDOWN_GRACE_MS", "200",
                "CLF_SOCKET_PATH", sockets.resolve("clf.sock").toString(), "CLF_SOCKET_GROUP", Integer.toString(BOTS_GID),
                "CLF_PASSWD_FILE", etc.resolve("passwd").toString(), "CLF_GROUP_FILE", etc.resolve("group").toString()));
        env.putAll(settings);
        dev = DevMode.start(dir.resolve("dev"), env, log);
        daemon = Daemon.start(OrchestratorConfig.fromEnv(dev.env()), dev.env(), log, Clock.systemUTC());
        socket = dev.socketPath();
    }

    @AfterEach
    void stop() throws Exception {
        if (daemon != null) {
            daemon.close();
        }
        if (dev != null) {
            dev.close();
        }
        if (dir != null) {
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    /** {@code POST /v1/jobs/enqueue} as Unix user {@code uid} of the bots' group. */
    SocketHttp.Response asBot(int uid, String body) {
        HostTool.requireRoot("to act as other users");
        HostTool.require(HostTool.onPath("setpriv"), "setpriv (util-linux)");
        HostTool.require(HostTool.onPath("curl"), "curl");
        HostTool.Result result = HostTool.run(Map.of(), Duration.ofSeconds(30), List.of("setpriv", "--reuid=" + uid,
                "--regid=" + BOTS_GID, "--clear-groups", "curl", "-sS", "-i", "--unix-socket", socket.toString(),
                "-H", "Content-Type: application/json", "--data-binary", body, "http://clf/v1/jobs/enqueue"));
        assertEquals(0, result.exitCode(), result.toString());
        String text = result.out();
        int end = text.indexOf("\r\n\r\n");
        String[] head = text.substring(0, end).split("\r\n");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < head.length; i++) {
            int colon = head[i].indexOf(':');
            headers.put(head[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), head[i].substring(colon + 1).strip());
        }
        return new SocketHttp.Response(Integer.parseInt(head[0].split(" ")[1]), headers, text.substring(end + 4));
    }

    SocketHttp.Response asOperator(String body) throws Exception {
        return SocketHttp.post(socket, "/v1/jobs/enqueue", body);
    }

    static String reap(String extra) {
        return "{\"protocolVersion\":1,\"kind\":\"cattle.reap\",\"payload\":{\"dryRun\":true}" + extra + "}";
    }

    static String laterSpawn(String extra) {
        return "{\"protocolVersion\":1,\"kind\":\"cattle.spawn\",\"runAt\":\"" + LATER + "\",\"payload\":{\"identity\":"
                + "\"rex\",\"task\":{\"taskId\":\"t-1\",\"message\":\"hi\"}}" + extra + "}";
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> error(SocketHttp.Response response) throws Exception {
        return (Map<String, Object>) response.json().get("error");
    }

    @Test
    void botsUsePrioritiesWithinTheRangeAndOperatorsAny() throws Exception {
        start(Map.of("CLF_BOT_MAX_PRIORITY", "10"));

        assertEquals(200, asBot(ALICE, reap(",\"priority\":10,\"runAt\":\"" + LATER + "\"")).status());
        SocketHttp.Response refused = asBot(ALICE, reap(",\"priority\":2147483647"));
        assertEquals(403, refused.status(), refused.toString());
        assertEquals("priority: bots may use -10 to 10 (CLF_BOT_MAX_PRIORITY; operators any), got 2147483647",
                error(refused).get("message"));
        assertEquals("forbidden", error(refused).get("code"));
        assertEquals(403, asBot(ALICE, reap(",\"priority\":-11")).status());
        assertEquals(200, asOperator(reap(",\"priority\":1000")).status());
    }

    @Test
    void aBotPastItsActiveJobsIsAnswered429AndItsResendsStillDedupe() throws Exception {
        start(Map.of("CLF_MAX_ACTIVE_PER_REQUESTER", "2"));
        String first = (String) asBot(ALICE, laterSpawn(",\"idempotencyKey\":\"k1\"")).json().get("jobId");
        assertEquals(200, asBot(ALICE, laterSpawn("")).status());

        SocketHttp.Response refused = asBot(ALICE, laterSpawn(""));

        assertEquals(429, refused.status(), refused.toString());
        assertEquals("quota_exceeded", error(refused).get("code"));
        assertEquals(Map.of("variable", "CLF_MAX_ACTIVE_PER_REQUESTER", "value", 2, "unit", "jobs"),
                error(refused).get("limit"));
        assertTrue(((String) error(refused).get("message")).startsWith("requester alice has 2 queued or running jobs"),
                refused.toString());
        assertNull(refused.header("Retry-After"), "waiting alone does not help: jobs must end");
        Map<String, Object> resent = asBot(ALICE, laterSpawn(",\"idempotencyKey\":\"k1\"")).json();
        assertEquals(first, resent.get("jobId"));
        assertEquals(true, resent.get("deduped"));
        assertEquals(200, asBot(BOB, laterSpawn("")).status(), "another bot has its own count");
        assertEquals(200, asOperator(laterSpawn(",\"requester\":\"alice\"")).status(), "operators are exempt");
    }

    @Test
    void aBotPastItsEnqueueRateIsAnswered429WithRetryAfter() throws Exception {
        start(Map.of("CLF_ENQUEUE_RATE_PER_REQUESTER", "1", "CLF_ENQUEUE_BURST_PER_REQUESTER", "2"));
        String first = (String) asBot(ALICE, laterSpawn(",\"idempotencyKey\":\"k1\"")).json().get("jobId");
        assertEquals(200, asBot(ALICE, laterSpawn("")).status());

        SocketHttp.Response refused = asBot(ALICE, laterSpawn(""));

        assertEquals(429, refused.status(), refused.toString());
        assertEquals(Map.of("variable", "CLF_ENQUEUE_RATE_PER_REQUESTER", "value", 1, "unit", "enqueues per second"),
                error(refused).get("limit"));
        assertEquals("1", refused.header("Retry-After"));
        assertEquals(first, asBot(ALICE, laterSpawn(",\"idempotencyKey\":\"k1\"")).json().get("jobId"),
                "an idempotent re-send is answered with an empty bucket");
        assertEquals(200, asBot(BOB, laterSpawn("")).status(), "another bot has its own bucket");
    }

    @Test
    void aBotsQueuedReapAnswersItsNextReap() throws Exception {
        start(Map.of());
        String later = ",\"runAt\":\"" + LATER + "\"";
        String first = (String) asBot(ALICE, reap(later)).json().get("jobId");

        Map<String, Object> again = asBot(ALICE, reap(later)).json();

        assertEquals(first, again.get("jobId"));
        assertEquals(true, again.get("deduped"));
        assertNotEquals(first, asBot(BOB, reap(later)).json().get("jobId"), "bob's reap is his own");
        assertEquals(false, asOperator(reap(later + ",\"requester\":\"alice\"")).json().get("deduped"),
                "operators' reaps are not folded");
    }

    @Test
    void aRunAtPastTheBoundIsA400() throws Exception {
        start(Map.of("CLF_MAX_RUN_AT_AHEAD", "30d"));

        SocketHttp.Response refused = asOperator(reap(",\"runAt\":\"+999999999-12-31T23:59:59Z\""));

        assertEquals(400, refused.status(), refused.toString());
        assertEquals("runAt: at most 30d ahead (CLF_MAX_RUN_AT_AHEAD), got '+999999999-12-31T23:59:59Z'",
                error(refused).get("message"));
        assertEquals(400, asOperator(reap(",\"runAt\":\"" + java.time.Instant.now().plus(Duration.ofDays(31)) + "\"")).status());
        assertEquals(200, asOperator(reap(",\"runAt\":\"" + LATER + "\"")).status());
        assertEquals(200, asOperator(reap(",\"runAt\":\"1969-01-01T00:00:00Z\"")).status(), "v1: the past is now");
    }

    @Test
    void onePoisonedRequestAmong63GoodOnesInOneBatchFailsAlone() throws Exception {
        start(Map.of());
        ExecutorService pool = Executors.newFixedThreadPool(64);
        try (Connection plug = DriverManager.getConnection("jdbc:sqlite:" + dev.env().get("CLF_DB_PATH"));
             Statement lock = plug.createStatement()) {
            // Hold the write lock so that all 64 wait for the same group commit.
            lock.execute("BEGIN IMMEDIATE");
            List<Future<SocketHttp.Response>> answers = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                String body = i == 17 ? reap(",\"runAt\":\"+999999999-12-31T23:59:59Z\"")
                        : reap(",\"requester\":\"bot" + i + "\",\"runAt\":\"" + LATER + "\"");
                answers.add(pool.submit(() -> asOperator(body)));
            }
            Thread.sleep(1000);
            lock.execute("COMMIT");
            List<Integer> statuses = new ArrayList<>();
            for (Future<SocketHttp.Response> answer : answers) {
                statuses.add(answer.get().status());
            }
            assertEquals(400, statuses.get(17));
            statuses.remove(17);
            assertEquals(java.util.Collections.nCopies(63, 200), statuses);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aSpawnWhoseCloudInitIsOverHetznersLimitIsA400AtEnqueue() throws Exception {
        start(Map.of());
        String message = "é".repeat(clf.protocol.Task.MAX_MESSAGE_CHARS);

        SocketHttp.Response refused = asOperator(laterSpawn("").replace("\"hi\"", "\"" + message + "\""));

        assertEquals(400, refused.status(), refused.toString());
        String text = (String) error(refused).get("message");
        assertTrue(text.matches("payload: the VM's cloud-init user_data would be \\d+ bytes, over Hetzner's limit of "
                + "32768 bytes; shorten payload.task.message \\(or the identity's files\\)"), text);
        assertEquals(200, asOperator(laterSpawn("")).status());
    }
}
