package clf.server.internal.cattle.listener;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.queue.JobEvent;
import clf.queue.JobStore;
import clf.queue.JobStores;
import clf.queue.NewJob;
import clf.secrets.BootstrapTokens;
import clf.secrets.SecretSource;
import clf.secrets.TokenGrant;
import clf.server.internal.log.Log;
import clf.server.internal.tailnet.LocalApi;
import clf.testing.Race;
import clf.testing.RawHttp;
import clf.testing.RawHttp.Response;
import clf.testing.SettableClock;
import clf.testing.TailscaledDouble;
import com.fasterxml.jackson.jr.ob.JSON;
import io.undertow.Undertow;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cattle listener (spec §1.2) over real HTTP: Undertow on loopback with the real handler, a
 * real token file and a real job store; only the clock is settable. Peer verification talks to a
 * LocalAPI double on a real Unix socket; the test's requests come from 127.0.0.1, so that is the
 * address the double is told about.
 */
class CattleApiTest {
    static final Instant T0 = Instant.parse("2026-11-27T12:00:00Z");
    static final List<List<String>> OPENAI = List.of(List.of("OPENAI_API_KEY", "OPEN_AI_APIKEY"));
    /** The server every token here is for, and the name the whois fixture's node has. */
    static final String VM_NAME = TailscaledDouble.FIXTURE_NAME;

    @TempDir
    Path dir;
    final SettableClock clock = new SettableClock(T0);
    Path credentials;
    Map<String, String> env = new LinkedHashMap<>();
    BootstrapTokens tokens;
    boolean tokensClosed;
    JobStore jobs;
    PeerVerifier peers = PeerVerifier.off();
    TailscaledDouble tailscaled;
    Undertow server;
    int port;
    final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    RefusedCallers refusals;
    boolean deleteOnFinish = true;
    final java.util.concurrent.atomic.AtomicInteger reapsEnqueued = new java.util.concurrent.atomic.AtomicInteger();

    @BeforeEach
    void open() throws IOException {
        credentials = Files.createDirectories(dir.resolve("credentials"));
        tokens = BootstrapTokens.open(dir.resolve("state/tokens.sqlite"), clock);
        jobs = JobStores.openSqlite(dir.resolve("state/state.sqlite"));
    }

    /** Starts the listener with the environment set so far (credential files are read on each request). */
    void serve() {
        Log log = new Log(new PrintStream(logged, true, StandardCharsets.UTF_8), Clock.systemUTC());
        refusals = new RefusedCallers(clock, log);
        server = Undertow.builder().setIoThreads(1).setWorkerThreads(32).addHttpListener(0, "127.0.0.1")
                .setHandler(new CattleApi(tokens, new SecretSource(credentials, env), jobs, peers, refusals,
                        deleteOnFinish, log))
                .build();
        server.start();
        port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    }

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.stop();
        }
        if (tailscaled != null) {
            tailscaled.close();
        }
        if (!tokensClosed) {
            tokens.close();
        }
        jobs.close();
    }

    String spawnJob() {
        return jobs.enqueue(NewJob.of("cattle.spawn", "maren", "{}")).jobId();
    }

    String issue(String jobId, List<List<String>> groups, Map<String, String> publicEnv) {
        return tokens.issue(new TokenGrant(jobId, "maren", VM_NAME, groups, publicEnv), Duration.ofMinutes(10))
                .token().reveal();
    }

    /** One request on its own connection, written byte for byte (so odd Authorization values go out as they are). */
    Response request(String method, String path, String authorization) throws IOException {
        return RawHttp.request(port, "100.64.0.1", Duration.ofSeconds(10), method, path, authorization);
    }

    Response fetch(String token) throws IOException {
        return request("GET", "/v1/cattle/env", "Bearer " + token);
    }

    static void assertCattleHeaders(Response response) {
        assertEquals("application/json; charset=utf-8", response.headers().get("content-type"), response.toString());
        assertEquals("no-store", response.headers().get("cache-control"), response.toString());
        assertEquals("nosniff", response.headers().get("x-content-type-options"), response.toString());
        assertTrue(response.body().endsWith("}\n"), "pretty JSON and a newline: " + response.body());
    }

    @Test
    void healthzAnswersOkAndEverythingElseIs404() throws IOException {
        serve();
        Response health = request("GET", "/healthz", null);
        assertEquals(200, health.status());
        assertEquals(Map.of("ok", true), health.json());
        assertCattleHeaders(health);

        for (String[] call : new String[][] {{"GET", "/"}, {"GET", "/v1/cattle/env/"}, {"POST", "/v1/cattle/env"},
                {"POST", "/healthz"}, {"GET", "/v1/jobs"}}) {
            Response other = request(call[0], call[1], "Bearer x");
            assertEquals(404, other.status(), String.join(" ", call));
            assertEquals(Map.of("ok", false, "error", Map.of("message", "not found")), other.json());
            assertCattleHeaders(other);
        }
    }

    @Test
    void bearerParsingTellsMissingFromInvalid() throws IOException {
        serve();
        for (String header : new String[] {null, "", "Bearer", "Bearer   ", "Basic abc", "Bearerabc", "Bearer-abc",
                "Token abc", "bear abc"}) {
            Response response = request("GET", "/v1/cattle/env", header);
            assertEquals(401, response.status(), "[" + header + "]");
            assertEquals("missing bearer token", response.errorMessage(), "[" + header + "]");
            assertCattleHeaders(response);
        }
        for (String header : new String[] {"Bearer abc", "bearer abc", "BEARER \t abc  ", "Bearer\tabc", "bEaReR  abc def"}) {
            Response response = request("GET", "/v1/cattle/env", header);
            assertEquals(401, response.status(), "[" + header + "]");
            assertEquals("invalid/expired token", response.errorMessage(), "[" + header + "]");
        }
        assertEquals("abc", CattleApi.bearerToken("  Bearer \t\t abc \t"));
        assertEquals("abc def", CattleApi.bearerToken("bEaReR  abc def"));
    }

    @Test
    void aTokenBuysTheEnvOnceWithEveryAliasFilledFromTheOneThatIsSet() throws IOException {
        env.put("OPEN_AI_APIKEY", " sk-only-this-alias ");
        env.put("GITHUB_TOKEN", "ghp-not-granted");
        String token = issue(spawnJob(), OPENAI, Map.of("CLAWDLETS_CATTLE_AUTO_SHUTDOWN", "0"));
        serve();

        Response first = fetch(token);
        assertEquals(200, first.status(), first.toString());
        assertCattleHeaders(first);
        assertTrue(first.body().startsWith("{\n  \"ok\""), "pretty: " + first.body());
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("CLAWDLETS_CATTLE_AUTO_SHUTDOWN", "0");
        expected.put("OPENAI_API_KEY", "sk-only-this-alias");
        expected.put("OPEN_AI_APIKEY", "sk-only-this-alias");
        Map<String, Object> answer = JSON.std.with(JSON.Feature.PRESERVE_FIELD_ORDERING).mapFrom(first.body());
        assertEquals(true, answer.get("ok"));
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(((Map<?, ?>) answer.get("env")).keySet()),
                "public settings first, no GITHUB_TOKEN without the grant");
        assertEquals(expected, answer.get("env"));

        Response again = fetch(token);
        assertEquals(401, again.status());
        assertEquals("invalid/expired token", again.errorMessage());
    }

    @Test
    void aRowPlantedInTheTokenFileAskingForTheHetznerAndTailnetKeysIs401AndHandsOutNothing() throws Exception {
        env.put("HCLOUD_TOKEN", "hc-planted-target");
        env.put("TAILSCALE_AUTH_KEY", "tskey-planted-target");
        env.put("OPENAI_API_KEY", "sk-x");
        String token = "7".repeat(64);
        String job = spawnJob();
        try (java.sql.Connection raw = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("state/tokens.sqlite"));
                java.sql.PreparedStatement insert = raw.prepareStatement("""
                        INSERT INTO bootstrap_tokens (token_hash, job_id, requester, cattle_name, secret_groups,
                                                      public_env, ttl_ms, created_at, expires_at)
                        VALUES (?, ?, 'maren', ?, '[["HCLOUD_TOKEN"],["TAILSCALE_AUTH_KEY"],["OPENAI_API_KEY","OPEN_AI_APIKEY"]]',
                                '{}', 600000, ?, ?)
                        """)) {
            insert.setString(1, java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8))));
            insert.setString(2, job);
            insert.setString(3, VM_NAME);
            insert.setLong(4, T0.toEpochMilli());
            insert.setLong(5, T0.plus(Duration.ofMinutes(10)).toEpochMilli());
            insert.executeUpdate();
        }
        serve();

        Response planted = fetch(token);

        assertEquals(401, planted.status(), planted.toString());
        assertEquals("invalid/expired token", planted.errorMessage());
        refusals.close(); // failed redemptions are logged once a minute; closing writes the minute so far
        String everything = planted + logged.toString(StandardCharsets.UTF_8);
        assertTrue(!everything.contains("planted-target") && !everything.contains("sk-x"), everything);
        assertTrue(everything.contains("grants nothing: secretGroups: [HCLOUD_TOKEN] is not grantable"), everything);
    }

    @Test
    void anExpiredTokenIs401() throws IOException {
        env.put("OPENAI_API_KEY", "sk-x");
        String token = issue(spawnJob(), OPENAI, Map.of());
        serve();

        clock.set(T0.plus(Duration.ofMinutes(10)));
        Response expired = fetch(token);
        assertEquals(401, expired.status());
        assertEquals("invalid/expired token", expired.errorMessage());
        refusals.close();
        assertTrue(logged.toString(StandardCharsets.UTF_8).contains("token expired"), logged.toString());
    }

    @Test
    void theTtlCountsFromServerCreationNotFromIssue() throws IOException {
        env.put("OPENAI_API_KEY", "sk-x");
        String job = spawnJob();
        String token = issue(job, OPENAI, Map.of());
        serve();

        tokens.startTtlAt(job, T0.plus(Duration.ofMinutes(4))); // create + boot took 4 minutes
        clock.set(T0.plus(Duration.ofMinutes(13)));
        assertEquals(200, fetch(token).status(), "10 min from creation, not from issue");
    }

    @Test
    void aMissingSecretIs500AndTheSameTokenWorksOnceTheCredentialExists() throws IOException {
        String job = spawnJob();
        String token = issue(job, OPENAI, Map.of());
        serve();

        Response missing = fetch(token);
        assertEquals(500, missing.status());
        assertEquals("missing required secret on control plane: OPENAI_API_KEY or OPEN_AI_APIKEY", missing.errorMessage());
        assertCattleHeaders(missing);
        assertTrue(logged.toString(StandardCharsets.UTF_8).contains("cattle.env-missing-secret job=" + job), logged.toString());

        Files.writeString(credentials.resolve("OPENAI_API_KEY"), "sk-from-credential-file\n");
        Response fetched = fetch(token);
        assertEquals(200, fetched.status(), "the token was not burned by the 500: " + fetched);
        assertEquals("sk-from-credential-file", ((Map<?, ?>) fetched.json().get("env")).get("OPEN_AI_APIKEY"));
    }

    @Test
    void aRedemptionAddsEnvFetchedToTheSpawnJobWithoutSecrets() throws IOException {
        env.put("OPENAI_API_KEY", "sk-secret-value");
        String job = spawnJob();
        String token = issue(job, OPENAI, Map.of());
        serve();
        assertEquals(200, fetch(token).status());
        fetch(token);

        List<JobEvent> fetched = jobs.events(job).stream().filter(e -> e.type().equals("cattle.env-fetched")).toList();
        assertEquals(1, fetched.size(), jobs.events(job).toString());
        assertTrue(fetched.get(0).message().contains(VM_NAME), fetched.get(0).message());
        String everything = jobs.events(job) + logged.toString(StandardCharsets.UTF_8);
        assertFalse(everything.contains("sk-secret-value"), everything);
        assertFalse(everything.contains(token), everything);
        refusals.close();
        assertTrue(logged.toString(StandardCharsets.UTF_8).contains("reasons=\"token already used"),
                "the failed second attempt is logged: " + logged);
    }

    @Test
    void sixtyFourConcurrentRedemptionsOfOneTokenGiveExactlyOne200() throws Exception {
        env.put("OPENAI_API_KEY", "sk-x");
        String job = spawnJob();
        String token = issue(job, OPENAI, Map.of());
        serve();
        // Each from its own address: one address past 30 failures a minute is answered 429.
        Map<Integer, Integer> statuses = Race.count(64, i -> RawHttp.requestFrom(
                java.net.InetAddress.getByAddress(new byte[] {127, 0, 1, (byte) (i + 1)}),
                port, "100.64.0.1", Duration.ofSeconds(10), "GET", "/v1/cattle/env", "Bearer " + token).status());
        assertEquals(Map.of(200, 1, 401, 63), statuses);
        assertEquals(1, jobs.events(job).stream().filter(e -> e.type().equals("cattle.env-fetched")).count());
    }

    @Test
    void clientsThatStallInABodyHoldNoWorkerThread() throws Exception {
        serve(); // 32 worker threads, as many as the daemon's HTTP task pool at most
        List<Socket> stallers = new ArrayList<>();
        try {
            for (int i = 0; i < 40; i++) {
                Socket staller = new Socket("127.0.0.1", port);
                stallers.add(staller);
                // A body announced in chunks, one chunk begun, then nothing more.
                staller.getOutputStream().write(("GET /v1/cattle/env HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer abc\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n10\r\nabc").getBytes(StandardCharsets.US_ASCII));
            }
            for (Socket staller : stallers) {
                staller.setSoTimeout(10_000);
                String head = new String(staller.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
                // 429 past the 30th failure from 127.0.0.1: answered all the same.
                assertTrue(head.equals("HTTP/1.1 401") || head.equals("HTTP/1.1 429"), "each staller is answered: " + head);
            }

            Response health = request("GET", "/healthz", null); // a 10 s read timeout
            assertEquals(200, health.status(), "answered while 40 clients stall in a body");
        } finally {
            for (Socket staller : stallers) {
                staller.close();
            }
        }
    }

    @Test
    void aContentLengthPastTwoToThe64Is400AndWhatFollowsIsNeverReadAsARequest() throws Exception {
        serve();
        String answer;
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            // Undertow reads 18446744073709551616 as 0, so the "body" would be a second request.
            socket.getOutputStream().write(("GET /v1/cattle/env HTTP/1.1\r\nHost: x\r\nContent-Length: 18446744073709551616"
                    + "\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }

        assertTrue(answer.startsWith("HTTP/1.1 400 "), answer);
        assertTrue(answer.contains("\"message\" : \"Content-Length: expected a whole number of bytes"), answer);
        assertEquals(1, answer.split("HTTP/1.1 ", -1).length - 1, "no answer to what followed the head: " + answer);
    }

    @Test
    void aStoreFailureIs500JsonAndLogged() throws IOException {
        String token = issue(spawnJob(), OPENAI, Map.of());
        tokens.close();
        tokensClosed = true;
        serve();

        Response failed = fetch(token);
        assertEquals(500, failed.status());
        assertEquals("internal error; retry", failed.errorMessage());
        assertCattleHeaders(failed);
        assertTrue(logged.toString(StandardCharsets.UTF_8).contains("cattle.env-failed"), logged.toString());
        assertFalse(logged.toString(StandardCharsets.UTF_8).contains(token));
    }

    // Peer verification: the token is bound to the tailnet node named like its server.

    /** Verification on, through a LocalAPI double that does not know 127.0.0.1 yet. */
    void verifyPeers() throws IOException {
        tailscaled = TailscaledDouble.start(dir.resolve("tailscaled.sock"));
        peers = PeerVerifier.tailnet(new LocalApi(tailscaled.socket()));
    }

    String log() {
        return logged.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theTokensOwnVmGetsTheEnvOnceAndTailscaledWasAskedAboutItsAddress() throws IOException {
        env.put("OPENAI_API_KEY", "sk-x");
        String job = spawnJob();
        String token = issue(job, OPENAI, Map.of());
        verifyPeers();
        tailscaled.node("127.0.0.1", TailscaledDouble.fixture());
        serve();

        Response first = fetch(token);
        assertEquals(200, first.status(), first.toString());
        assertEquals("sk-x", ((Map<?, ?>) first.json().get("env")).get("OPENAI_API_KEY"));
        assertEquals(401, fetch(token).status(), "used up");

        TailscaledDouble.Request whois = tailscaled.requests().get(0);
        assertTrue(whois.addr().matches("127\\.0\\.0\\.1:\\d+"), "IP:port of the caller: " + whois.addr());
        assertTrue(log().contains("cattle.env-fetched job=" + job), log());
    }

    @Test
    void anotherNodeGets403AndTheTokenStillWorksForItsVm() throws IOException {
        env.put("OPENAI_API_KEY", "sk-x");
        String job = spawnJob();
        String token = issue(job, OPENAI, Map.of());
        verifyPeers();
        // It even claims the VM's host name: only the name the coordination server gave counts.
        tailscaled.node("127.0.0.1", TailscaledDouble.whoisOf("laptop.tail4f3b2.ts.net.", "laptop", VM_NAME));
        serve();

        Response rejected = fetch(token);
        assertEquals(403, rejected.status(), rejected.toString());
        assertEquals("this token belongs to another machine", rejected.errorMessage());
        assertCattleHeaders(rejected);
        String line = log().lines().filter(l -> l.contains("cattle.env-rejected")).findFirst().orElseThrow(
                () -> new AssertionError(log()));
        assertTrue(line.contains("job=" + job) && line.contains("server=" + VM_NAME) && line.contains("remote=127.0.0.1")
                && line.contains("laptop.tail4f3b2.ts.net.") && line.contains("expected tailnet node " + VM_NAME), line);
        assertFalse(log().contains(token), "never the token: " + log());

        tailscaled.node("127.0.0.1", TailscaledDouble.fixture());
        assertEquals(200, fetch(token).status(), "the 403 did not use the token up");
        assertEquals(1, jobs.events(job).stream().filter(e -> e.type().equals("cattle.env-fetched")).count());
    }

    @Test
    void aNodeSharedInFromAnotherTailnetUnderTheSameNameGets403() throws IOException {
        env.put("OPENAI_API_KEY", "sk-x");
        String token = issue(spawnJob(), OPENAI, Map.of());
        verifyPeers();
        tailscaled.node("127.0.0.1", TailscaledDouble.whoisOf(VM_NAME + ".someone-else.ts.net.",
                VM_NAME + ".someone-else.ts.net", VM_NAME));
        serve();

        assertEquals(403, fetch(token).status());
    }

    @Test
    void anAddressTailscaledDoesNotKnowGets403AndKeepsTheToken() throws IOException {
        env.put("OPENAI_API_KEY", "sk-x");
        String token = issue(spawnJob(), OPENAI, Map.of());
        verifyPeers();
        serve();

        Response unknown = fetch(token);
        assertEquals(403, unknown.status(), unknown.toString());
        assertTrue(log().contains("tailscaled knows no node at 127.0.0.1"), log());

        tailscaled.node("127.0.0.1", TailscaledDouble.fixture());
        assertEquals(200, fetch(token).status(), "the 403 did not use the token up");
    }

    @Test
    void aLocalApiThatCannotAnswerIs503AndKeepsTheToken() throws IOException {
        env.put("OPENAI_API_KEY", "sk-x");
        String token = issue(spawnJob(), OPENAI, Map.of());
        verifyPeers();
        tailscaled.node("127.0.0.1", TailscaledDouble.fixture());
        Path socket = tailscaled.socket();
        peers = PeerVerifier.tailnet(new LocalApi(socket)); // the production timeout: a hang costs 2 s
        serve();

        for (TailscaledDouble.Fault fault : List.of(TailscaledDouble.Fault.CLOSE_UNANSWERED,
                TailscaledDouble.Fault.HANG, TailscaledDouble.Fault.GARBAGE)) {
            tailscaled.fault(fault);
            Response unavailable = fetch(token);
            assertEquals(503, unavailable.status(), fault + ": " + unavailable);
            assertEquals("peer verification unavailable; try again", unavailable.errorMessage());
            assertCattleHeaders(unavailable);
        }
        tailscaled.close(); // tailscaled stopped: no socket at all
        Response down = fetch(token);
        assertEquals(503, down.status(), down.toString());
        assertTrue(log().lines().filter(l -> l.contains("ERROR cattle.env-peer-unverified")).count() == 4, log());
        assertTrue(log().contains("tailscaled's LocalAPI at " + socket), log());
        assertFalse(log().contains(token), log());

        tailscaled = TailscaledDouble.start(socket).node("127.0.0.1", TailscaledDouble.fixture());
        assertEquals(200, fetch(token).status(), "the 503s did not use the token up");
    }

    @Test
    void offAsksNobody() throws IOException {
        env.put("OPENAI_API_KEY", "sk-x");
        String token = issue(spawnJob(), OPENAI, Map.of());
        verifyPeers();
        peers = PeerVerifier.off();
        serve();

        assertEquals(200, fetch(token).status());
        assertEquals(List.of(), tailscaled.requests());
    }

    @Test
    void aRequestWithoutATokenIsRefusedBeforeAnyLookup() throws IOException {
        verifyPeers();
        serve();

        assertEquals(401, request("GET", "/v1/cattle/env", null).status());
        assertEquals(List.of(), tailscaled.requests());
    }

    // Failures: one log line a minute, and 429 past 30 a minute from one address.

    @Test
    void failuresAreLoggedOnceAMinuteWithCountsReasonsAndSources() throws IOException {
        serve();
        for (int i = 0; i < 5; i++) {
            assertEquals(401, fetch("bad-" + i).status());
        }
        assertEquals(401, request("GET", "/v1/cattle/env", null).status());
        assertFalse(log().contains("cattle.env-refused"), "nothing yet, the minute is not over: " + log());

        clock.set(T0.plus(Duration.ofSeconds(61)));
        refusals.flushIfDue();

        List<String> lines = log().lines().filter(l -> l.contains("cattle.env-refused")).toList();
        assertEquals(1, lines.size(), log());
        assertTrue(lines.get(0).contains("failures=6"), lines.get(0));
        assertTrue(lines.get(0).contains("missing bearer token: 1"), lines.get(0));
        assertTrue(lines.get(0).contains("sources=\"127.0.0.1: 6\""), lines.get(0));
        assertTrue(lines.get(0).contains("answered_429=0"), lines.get(0));
        refusals.flushIfDue();
        assertEquals(1, log().lines().filter(l -> l.contains("cattle.env-refused")).count(), "an empty minute says nothing");
    }

    @Test
    void anAddressPastThirtyFailuresAMinuteGets429UntilTheMinuteEndsAndItsTokenIsNotTouched() throws IOException {
        env.put("OPENAI_API_KEY", "sk-x");
        String token = issue(spawnJob(), OPENAI, Map.of());
        serve();
        for (int i = 0; i < RefusedCallers.PER_SOURCE_LIMIT; i++) {
            assertEquals(401, fetch("bad-" + i).status(), "failure " + (i + 1));
        }

        clock.set(T0.plus(Duration.ofSeconds(20)));
        Response throttled = fetch(token);
        assertEquals(429, throttled.status(), throttled.toString());
        assertEquals("40", throttled.headers().get("retry-after"), throttled.toString());
        assertTrue(throttled.errorMessage().contains("too many failed requests from 127.0.0.1"), throttled.toString());
        assertCattleHeaders(throttled);

        clock.set(T0.plus(Duration.ofSeconds(60)));
        assertEquals(200, fetch(token).status(), "a new minute, and the token was never spent by the 429");
        refusals.close();
        assertTrue(log().contains("failures=30") && log().contains("answered_429=1"), log());
    }

    @Test
    void thePerAddressTableIsBounded() {
        Log log = new Log(new PrintStream(logged, true, StandardCharsets.UTF_8), Clock.systemUTC());
        RefusedCallers counted = new RefusedCallers(clock, log);
        for (int i = 0; i < RefusedCallers.MAX_SOURCES + 100; i++) {
            counted.refused("100.64." + (i / 256) + "." + (i % 256), "unknown token");
        }
        for (int i = 0; i < RefusedCallers.PER_SOURCE_LIMIT; i++) {
            counted.refused("100.99.0.1", "unknown token");
        }
        assertTrue(counted.throttled("100.99.0.1").isEmpty(), "an address past the table's cap is not tracked");
        counted.close();
        assertTrue(log().contains("failures=" + (RefusedCallers.MAX_SOURCES + 100 + RefusedCallers.PER_SOURCE_LIMIT)), log());
        assertTrue(log().contains("1019 more, 130 failures from untracked addresses"), log());
    }

    // Task reports (issue 13 §2): POST /v1/cattle/task with the report credential the env came with.

    static final Instant SERVER_EXPIRES = T0.plus(Duration.ofHours(2));
    static final String FINISHED_0 = "{\"protocolVersion\":1,\"event\":\"finished\",\"exitCode\":0,\"durationMs\":1500,"
            + "\"summary\":\"all good\"}";
    static final String STARTED = "{\"protocolVersion\":1,\"event\":\"started\"}";

    /** The env answer of a fresh token for {@code job}'s server, which expires at {@link #SERVER_EXPIRES}. */
    Map<String, Object> redeem(String job) throws IOException {
        String token = tokens.issue(new TokenGrant(job, "maren", VM_NAME, OPENAI, Map.of()), Duration.ofMinutes(10),
                SERVER_EXPIRES).token().reveal();
        Response answer = fetch(token);
        assertEquals(200, answer.status(), answer.toString());
        return answer.json();
    }

    static String credentialOf(Map<String, Object> envAnswer) {
        return (String) ((Map<?, ?>) envAnswer.get("report")).get("token");
    }

    Response report(String credential, String body) throws IOException {
        return RawHttp.post(port, "100.64.0.1", Duration.ofSeconds(10), "/v1/cattle/task",
                credential == null ? null : "Bearer " + credential, body);
    }

    List<String> taskEvents(String job) {
        return jobs.events(job).stream().filter(e -> e.type().startsWith("cattle.task-") || e.type().equals("cattle.delete-requested"))
                .map(e -> e.type() + ": " + e.message()).toList();
    }

    @Test
    void theEnvAnswerCarriesTheServerAndAReportCredentialBoundToIt() throws IOException {
        env.put("OPENAI_API_KEY", "sk-x");
        serve();
        Map<String, Object> answer = redeem(spawnJob());

        assertEquals(Map.of("name", VM_NAME, "expiresAt", "2026-11-27T14:00:00.000Z"), answer.get("server"));
        Map<?, ?> report = (Map<?, ?>) answer.get("report");
        assertEquals("/v1/cattle/task", report.get("path"));
        assertEquals("2026-11-27T14:00:00.000Z", report.get("expiresAt"));
        String credential = credentialOf(answer);
        assertTrue(credential.matches("[A-Za-z0-9_-]{43}"), "256 bits of unpadded base64url: " + credential);
        assertEquals("sk-x", ((Map<?, ?>) answer.get("env")).get("OPENAI_API_KEY"), "v1's env unchanged");
        assertFalse(log().contains(credential), "never logged: " + log());
    }

    @Test
    void startedThenFinishedAreEventsOnTheSpawnJobOnceEachAndTheServerIsDeleted() throws IOException {
        env.put("OPENAI_API_KEY", "sk-x");
        serve();
        String job = spawnJob();
        String credential = credentialOf(redeem(job));
        jobs.onEnqueued(reapsEnqueued::incrementAndGet); // the store's wake hook, as the workers hear it

        Response started = report(credential, STARTED);
        assertEquals(200, started.status(), started.toString());
        assertEquals(Map.of("protocolVersion", 1, "ok", true), started.json());
        assertCattleHeaders(started);
        assertEquals(200, report(credential, STARTED).status(), "a retried report is answered again");
        Response finished = report(credential, FINISHED_0);
        assertEquals(200, finished.status(), finished.toString());
        assertEquals(200, report(credential, FINISHED_0).status(), "the same end again");

        List<String> events = taskEvents(job);
        assertEquals(3, events.size(), events.toString());
        assertEquals("cattle.task-started: on " + VM_NAME, events.get(0));
        assertEquals("cattle.task-finished: exit 0 after 1500 ms: all good", events.get(1));
        assertTrue(events.get(2).startsWith("cattle.delete-requested: server " + VM_NAME + " is deleted by reap job "),
                events.toString());
        String reapId = events.get(2).substring(events.get(2).lastIndexOf(' ') + 1);
        var reap = jobs.get(reapId).orElseThrow();
        assertEquals("cattle.reap", reap.kind());
        assertEquals(clf.server.internal.housekeeping.Housekeeping.REQUESTER, reap.requester(),
                "the daemon's own, fleet-wide reap");
        assertEquals(1, reapsEnqueued.get(), "the workers were woken");
        assertFalse(log().contains(credential), "never logged: " + log());
    }

    @Test
    void startedAfterFinishedAndADifferentEndAre409AndRecordNothing() throws IOException {
        env.put("OPENAI_API_KEY", "sk-x");
        deleteOnFinish = false;
        serve();
        String job = spawnJob();
        String credential = credentialOf(redeem(job));
        jobs.onEnqueued(reapsEnqueued::incrementAndGet);
        assertEquals(200, report(credential, FINISHED_0).status(), "an end without a start (its report was lost) counts");

        Response late = report(credential, STARTED);
        assertEquals(409, late.status(), late.toString());
        assertEquals("conflict", ((Map<?, ?>) late.json().get("error")).get("code"));
        Response other = report(credential, FINISHED_0.replace("\"exitCode\":0", "\"exitCode\":3"));
        assertEquals(409, other.status(), other.toString());

        assertEquals(List.of("cattle.task-finished: exit 0 after 1500 ms: all good"), taskEvents(job),
                "nothing recorded, and no deletion with CLF_CATTLE_DELETE_ON_FINISH=0");
        assertEquals(0, reapsEnqueued.get());
    }

    @Test
    void aBadBodyIs400NamingTheFieldAndRecordsNothing() throws IOException {
        env.put("OPENAI_API_KEY", "sk-x");
        serve();
        String job = spawnJob();
        String credential = credentialOf(redeem(job));
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("{\"protocolVersion\":1,\"event\":\"done\"}", "event");
        cases.put("{\"protocolVersion\":1,\"event\":\"finished\",\"durationMs\":5}", "exitCode");
        cases.put("{\"protocolVersion\":1,\"event\":\"finished\",\"exitCode\":0}", "durationMs");
        cases.put("{\"protocolVersion\":1,\"event\":\"finished\",\"exitCode\":0,\"durationMs\":1,\"summary\":\""
                + "x".repeat(4097) + "\"}", "summary");
        cases.put("{\"event\":\"started\"}", "protocolVersion");
        cases.put("{\"protocolVersion\":1,\"event\":\"started\",\"extra\":1}", "extra");
        cases.put("not json", "request body");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            Response refused = report(credential, c.getKey());
            assertEquals(400, refused.status(), c.getKey() + " -> " + refused);
            assertEquals("invalid_input", ((Map<?, ?>) refused.json().get("error")).get("code"));
            assertTrue(refused.errorMessage().startsWith(c.getValue()), c.getValue() + ": " + refused.errorMessage());
        }
        Response tooLarge = report(credential, "{\"summary\":\"" + "y".repeat(CattleApi.MAX_REPORT_BYTES) + "\"}");
        assertEquals(413, tooLarge.status(), tooLarge.toString());
        assertEquals(List.of(), taskEvents(job));
    }

    @Test
    void anUnknownOrExpiredCredentialOrTheBootstrapTokenIs401AndCountedAsAFailure() throws IOException {
        env.put("OPENAI_API_KEY", "sk-x");
        serve();
        String job = spawnJob();
        String token = tokens.issue(new TokenGrant(job, "maren", VM_NAME, OPENAI, Map.of()), Duration.ofMinutes(10),
                SERVER_EXPIRES).token().reveal();
        String credential = credentialOf(fetch(token).json());

        assertEquals("missing bearer credential", report(null, STARTED).errorMessage());
        for (String wrong : new String[] {"made-up", token, credential + "x"}) {
            Response refused = report(wrong, STARTED);
            assertEquals(401, refused.status(), refused.toString());
            assertEquals("invalid/expired report credential", refused.errorMessage());
        }
        clock.set(SERVER_EXPIRES);
        Response expired = report(credential, STARTED);
        assertEquals(401, expired.status(), "valid until the server's expires-at: " + expired);
        assertTrue(log().contains("report credential expired (job " + job + ")") || refusalsLogged(),
                "the reason is the operator's: " + log());
        assertEquals(List.of(), taskEvents(job));
        assertFalse(log().contains(credential) || log().contains(token), "never logged: " + log());
    }

    /** RefusedCallers logs reasons once a minute; closing it flushes them. */
    boolean refusalsLogged() {
        refusals.close();
        return log().contains("report credential expired");
    }

    /** With peer verification on, the server's own node redeems a token for {@code job}: its report credential. */
    String redeemAsTheServersNode(String job) throws IOException {
        env.put("OPENAI_API_KEY", "sk-x");
        verifyPeers();
        tailscaled.node("127.0.0.1", TailscaledDouble.fixture());
        serve();
        return credentialOf(redeem(job));
    }

    @Test
    void withPeerVerificationOnlyTheServersNodeMayReportAnd503WhenTailscaledCannotSay() throws IOException {
        String job = spawnJob();
        String credential = redeemAsTheServersNode(job);

        tailscaled.node("127.0.0.1", TailscaledDouble.whoisOf("laptop.tail4f3b2.ts.net.", "laptop", VM_NAME));
        Response other = report(credential, STARTED);
        assertEquals(403, other.status(), other.toString());
        assertEquals("this credential belongs to another machine", other.errorMessage());
        assertTrue(log().contains("cattle.task-rejected job=" + job), log());

        tailscaled.close();
        tailscaled = null;
        Response unverified = report(credential, STARTED);
        assertEquals(503, unverified.status(), unverified.toString());
        assertEquals(List.of(), taskEvents(job));
        assertFalse(log().contains(credential), "never logged: " + log());
    }

    @Test
    void theServersNodeReports() throws IOException {
        String job = spawnJob();
        String credential = redeemAsTheServersNode(job);

        assertEquals(200, report(credential, STARTED).status());
        assertEquals(List.of("cattle.task-started: on " + VM_NAME), taskEvents(job));
    }
}
