package clf.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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

    static Path dir;
    static DaemonProcess daemon;
    static Cli alice;
    static Cli bob;
    static Cli carol;
    static Cli stranger;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to run clients as other users");
        // Not a @TempDir (0700): the bot users must be able to reach the socket's directory.
        dir = Files.createTempDirectory(Path.of("/tmp"), "clf-isolation-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path etc = Files.createDirectories(dir.resolve("etc"));
        Files.writeString(etc.resolve("passwd"), String.join("\n",
                "root:x:0:0::/root:/bin/sh",
                "bot-alice:x:" + ALICE + ":" + BOTS_GID + "::/:/bin/sh",
                "bot-bob:x:" + BOB + ":" + BOTS_GID + "::/:/bin/sh",
                "carol:x:" + CAROL + ":" + CAROL + "::/:/bin/sh",
                "alice:x:" + PLAIN_ALICE + ":" + BOTS_GID + "::/:/bin/sh", ""));
        Files.writeString(etc.resolve("group"), String.join("\n",
                "clf-bots:x:" + BOTS_GID + ":bot-alice,bot-bob,carol,alice",
                "clf-admins:x:" + ADMINS_GID + ":carol", ""));
        daemon = DaemonProcess.start(dir, Map.of(
                // The store makes its directory 0700; keep it apart from the socket's.
                "CLF_DB_PATH", dir.resolve("state/state.sqlite").toString(),
                "CLF_PASSWD_FILE", etc.resolve("passwd").toString(),
                "CLF_GROUP_FILE", etc.resolve("group").toString(),
                "CLF_SOCKET_GROUP", Integer.toString(BOTS_GID)));
        Cli root = Cli.on(DaemonProcess.socketIn(dir));
        alice = root.as(ALICE, BOTS_GID);
        bob = root.as(BOB, BOTS_GID);
        carol = root.as(CAROL, CAROL, BOTS_GID);
        stranger = root.as(STRANGER, BOTS_GID);
        Image.Result probe = alice.run("--version");
        assumeTrue(probe.exitCode() == 0, "the image must be readable by other users: " + probe);
    }

    @AfterAll
    static void stop() throws Exception {
        if (daemon != null) {
            daemon.stop();
        }
        Trees.delete(dir);
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
        Cli plainAlice = Cli.on(DaemonProcess.socketIn(dir)).as(PLAIN_ALICE, BOTS_GID);
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
        Image.Result outsider = Cli.on(DaemonProcess.socketIn(dir)).as(4300 + 77, 4300 + 77).run("jobs", "list");
        assertEquals(3, outsider.exitCode(), outsider.toString());
        assertTrue(outsider.err().contains("clf-bots"), "hints at the group: " + outsider);
    }

    static String status(Cli who, String job) throws Exception {
        Image.Result result = who.run("jobs", "show", job, "--json");
        assertEquals(0, result.exitCode(), result.toString());
        return (String) ((Map<?, ?>) JSON.std.mapFrom(result.out()).get("job")).get("status");
    }
}
