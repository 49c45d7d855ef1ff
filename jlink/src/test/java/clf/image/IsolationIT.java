package clf.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bots as different Unix users (setpriv): each acts only as itself and sees only its own jobs;
 * an operator sees and does everything. The daemon learns who is calling from the socket's
 * peer credentials, mapped through a passwd/group pair made for the test.
 */
class IsolationIT {
    static final int BOTS_GID = 4300;
    static final int ADMINS_GID = 4301;
    static final int ALICE = 4242;
    static final int BOB = 4243;
    static final int CAROL = 4244;
    static final int STRANGER = 4299;
    static final int PLAIN_ALICE = 4245;

    static BotUsersDaemon host;
    static Cli alice;
    static Cli bob;
    static Cli carol;
    static Cli stranger;

    @BeforeAll
    static void start() throws Exception {
        host = BotUsersDaemon.start("isolation", List.of(
                "root:x:0:0::/root:/bin/sh",
                "bot-alice:x:" + ALICE + ":" + BOTS_GID + "::/:/bin/sh",
                "bot-bob:x:" + BOB + ":" + BOTS_GID + "::/:/bin/sh",
                "carol:x:" + CAROL + ":" + CAROL + "::/:/bin/sh",
                "alice:x:" + PLAIN_ALICE + ":" + BOTS_GID + "::/:/bin/sh"), List.of(
                "clf-bots:x:" + BOTS_GID + ":bot-alice,bot-bob,carol,alice",
                "clf-admins:x:" + ADMINS_GID + ":carol"), BOTS_GID, Map.of());
        alice = host.cli(ALICE, BOTS_GID);
        bob = host.cli(BOB, BOTS_GID);
        carol = host.cli(CAROL, CAROL, BOTS_GID);
        stranger = host.cli(STRANGER, BOTS_GID);
        BotUsersDaemon.requireImageRunnableBy(alice);
    }

    @AfterAll
    static void stop() throws Exception {
        if (host != null) {
            host.close();
        }
    }

    static String enqueue(Cli who, String... extra) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("jobs", "enqueue", "cattle.reap", "--dry-run", "--json",
                "--run-at", UnixHttp.LATER));
        args.addAll(List.of(extra));
        Image.Result result = who.run(args.toArray(String[]::new));
        assertEquals(0, result.exitCode(), result.toString());
        return (String) JSON.std.mapFrom(result.out()).get("jobId");
    }

    static Set<String> listed(Cli who, String... extra) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("jobs", "list", "--json", "--limit", "500"));
        args.addAll(List.of(extra));
        Image.Result result = who.run(args.toArray(String[]::new));
        assertEquals(0, result.exitCode(), result.toString());
        return ((List<?>) JSON.std.mapFrom(result.out()).get("jobs")).stream()
                .map(job -> (String) ((Map<?, ?>) job).get("jobId")).collect(Collectors.toSet());
    }

    static void refused(Image.Result result, String message) {
        assertEquals(2, result.exitCode(), result.toString());
        assertTrue(result.err().contains(message), "expected '" + message + "' in\n" + result);
    }

    @Test
    void aBotSeesShowsCancelsAndEnqueuesOnlyAsItself() throws Exception {
        String aliceJob = enqueue(alice);
        String bobJob = enqueue(bob);

        Image.Result shown = alice.run("jobs", "show", aliceJob, "--json");
        assertEquals("alice", ((Map<?, ?>) JSON.std.mapFrom(shown.out()).get("job")).get("requester"),
                "user bot-alice is requester alice");
        assertTrue(listed(bob).contains(bobJob));
        assertTrue(!listed(bob).contains(aliceJob), "bob does not see alice's job");
        refused(bob.run("jobs", "show", aliceJob), "job not found: " + aliceJob);
        refused(bob.run("jobs", "cancel", aliceJob), "job not found: " + aliceJob);
        refused(bob.run("jobs", "events", aliceJob), "job not found: " + aliceJob);
        refused(bob.run("jobs", "enqueue", "cattle.reap", "--requester", "alice"),
                "requester: you may only enqueue as yourself ('bob'), got 'alice'");
        refused(bob.run("jobs", "list", "--requester", "alice"), "you may only list your own jobs");
        assertEquals("queued", status(alice, aliceJob), "bob's cancel changed nothing");
    }

    @Test
    void aShortIdFindsOnlyTheCallersOwnJobs() throws Exception {
        String aliceJob = enqueue(alice);
        String prefix = aliceJob.substring(0, 8);

        Image.Result own = alice.run("jobs", "show", prefix, "--json");
        assertEquals(0, own.exitCode(), own.toString());
        assertTrue(own.out().contains(aliceJob), own.toString());
        // bob learns nothing about alice's ids: the lookup is scoped to his own jobs
        refused(bob.run("jobs", "cancel", prefix), "no job of yours has an id starting with '" + prefix + "'");
        assertEquals("queued", status(alice, aliceJob));
        Image.Result operator = carol.run("jobs", "show", prefix, "--json");
        assertEquals(0, operator.exitCode(), operator.toString());
        assertTrue(operator.out().contains(aliceJob), operator.toString());
    }

    @Test
    void anOperatorActsForAnyone() throws Exception {
        String aliceJob = enqueue(alice);
        String bobJob = enqueue(bob);

        Set<String> all = listed(carol);
        assertTrue(all.containsAll(List.of(aliceJob, bobJob)), "carol sees everyone's jobs");
        assertEquals(Set.of(aliceJob).size(), listed(carol, "--requester", "alice").stream()
                .filter(aliceJob::equals).count());
        String forAlice = enqueue(carol, "--requester", "alice");
        assertTrue(listed(alice).contains(forAlice), "carol enqueued for alice");
        assertEquals(0, carol.run("jobs", "cancel", bobJob).exitCode());
        assertEquals("canceled", status(bob, bobJob));
    }

    @Test
    void onlyAnOperatorMayHandAVmTheGithubToken() throws Exception {
        String[] spawn = {"jobs", "enqueue", "cattle.spawn", "--identity", "rex", "--task-id", "t", "--message", "m",
            "--with-github-token", "--run-at", UnixHttp.LATER};

        refused(alice.run(spawn), "payload.withGithubToken: only operators may hand a VM the GitHub token");
        String[] asJson = java.util.Arrays.copyOf(spawn, spawn.length + 1);
        asJson[spawn.length] = "--json";
        Image.Result byOperator = carol.run(asJson);
        assertEquals(0, byOperator.exitCode(), byOperator.toString());
        String job = (String) JSON.std.mapFrom(byOperator.out()).get("jobId");
        Image.Result shown = carol.run("jobs", "show", job, "--json");
        Map<?, ?> payload = (Map<?, ?>) ((Map<?, ?>) JSON.std.mapFrom(shown.out()).get("job")).get("payload");
        assertEquals(true, payload.get("withGithubToken"));
    }

    @Test
    void aUserWithoutTheBotPrefixIsNotThatBot() throws Exception {
        String aliceJob = enqueue(alice);
        Cli plainAlice = host.cli(PLAIN_ALICE, BOTS_GID);
        String rule = "user 'alice' is not a bot user: bot users must be named 'bot-<name>'";

        refused(plainAlice.run("jobs", "show", aliceJob), rule);
        refused(plainAlice.run("jobs", "cancel", aliceJob), rule);
        refused(plainAlice.run("jobs", "list"), rule);
        refused(plainAlice.run("jobs", "enqueue", "cattle.reap", "--run-at", UnixHttp.LATER), rule);
        assertEquals("queued", status(alice, aliceJob), "user alice changed nothing of bot-alice's");
    }

    @Test
    void aUidWithoutAUserNameIsRefused() throws Exception {
        refused(stranger.run("jobs", "list"), "uid " + STRANGER + " has no user name");
    }

    @Test
    void aUserOutsideTheSocketGroupCannotConnect() throws Exception {
        Image.Result outsider = host.cli(4300 + 77, 4300 + 77).run("jobs", "list");
        assertEquals(3, outsider.exitCode(), outsider.toString());
        assertTrue(outsider.err().contains("clf-bots"), "hints at the group: " + outsider);
    }

    static String status(Cli who, String job) throws Exception {
        Image.Result result = who.run("jobs", "show", job, "--json");
        assertEquals(0, result.exitCode(), result.toString());
        return (String) ((Map<?, ?>) JSON.std.mapFrom(result.out()).get("job")).get("status");
    }
}
