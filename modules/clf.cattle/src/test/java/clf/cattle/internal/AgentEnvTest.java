package clf.cattle.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.protocol.CattleFiles;
import clf.testing.RawHttp;
import clf.testing.TailscaledDouble;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent against the daemon's real cattle listener ({@link RealListener}), run as
 * {@code clf-cattle --root DIR}: the env fetch and each way it fails (401, 403, 503 then success,
 * 503 past the token's expiry). Reports are not on this listener yet: its answer has no report
 * credential, so the agent runs the task without reporting, as it does against an older daemon.
 */
class AgentEnvTest {
    @TempDir
    Path dir;
    RealListener listener;

    @AfterEach
    void close() throws Exception {
        if (listener != null) {
            listener.close();
        }
    }

    VmRoot vm() {
        return new VmRoot(dir.resolve("vm"));
    }

    /** A task command that proves it got the task file, writes down the key it got, and prints a line. */
    String checkingTask() {
        return "test \"$1\" = \"$CLF_TASK_FILE\" || exit 8; grep -q '\"taskId\"' \"$1\" || exit 7; "
                + "printf %s \"$OPENAI_API_KEY\" > " + EnvFile.shellQuoted(dir.resolve("seen").toString()) + "; echo task ran";
    }

    @Test
    void aGoodTokenBuysTheEnvWhichTheTaskGetsAndTheMachinePowersOff() throws Exception {
        listener = RealListener.start(dir);
        String job = listener.spawnJob();
        VmRoot vm = vm().task("hello").bootstrap(listener.baseUrl(), listener.issue(job, Map.of()),
                Instant.now().plusSeconds(60));

        VmRoot.Run run = vm.run(checkingTask());

        assertEquals(Agent.TASK_OK, run.exitCode(), run.log());
        assertEquals("task ran\n", Files.readString(vm.file(AgentConfig.TASK_LOG)));
        assertEquals("sk-agent-test-secret", Files.readString(dir.resolve("seen")), "the task got the env");
        assertFalse(Files.exists(vm.file(CattleFiles.BOOTSTRAP_PATH)), "the spent token's file is deleted");
        assertFalse(Files.exists(vm.file(AgentConfig.DEFAULT_ENV_FILE)), "auto-shutdown deletes the env after the task");
        assertEquals("poweroff\n", Files.readString(vm.poweredOff()));
        assertTrue(listener.jobs.events(job).stream().anyMatch(e -> e.type().equals("cattle.env-fetched")));
        assertTrue(run.log().contains("agent.env-fetched variables=OPENAI_API_KEY,OPEN_AI_APIKEY"), run.log());
        assertTrue(run.log().contains("report=\"none (older daemon): not reporting\""), run.log());
        assertFalse(run.log().contains("sk-agent-test-secret"), "never a value in the log: " + run.log());
    }

    @Test
    void withAutoShutdownOffInThePublicEnvTheEnvFileStaysAndNothingPowersOff() throws Exception {
        listener = RealListener.start(dir);
        String job = listener.spawnJob();
        VmRoot vm = vm().task("hello").bootstrap(listener.baseUrl(),
                listener.issue(job, Map.of(CattleFiles.AUTO_SHUTDOWN, "0")), Instant.now().plusSeconds(60))
                .write(CattleFiles.PUBLIC_ENV_PATH, "{\"" + CattleFiles.AUTO_SHUTDOWN + "\":\"0\"}\n");

        VmRoot.Run run = vm.run("exit 0");

        assertEquals(Agent.TASK_OK, run.exitCode(), run.log());
        assertFalse(Files.exists(vm.poweredOff()), run.log());
        Path env = vm.file(AgentConfig.DEFAULT_ENV_FILE);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(env)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(env.getParent())));
        assertEquals("export CLAWDLETS_CATTLE_AUTO_SHUTDOWN='0'\nexport OPENAI_API_KEY='sk-agent-test-secret'\n"
                + "export OPEN_AI_APIKEY='sk-agent-test-secret'\n",
                Files.readString(env));
    }

    @Test
    void aSpentTokenIs401AndTheAgentStopsAtOnceNamingTheReadmeCase() throws Exception {
        listener = RealListener.start(dir);
        String token = listener.issue(listener.spawnJob(), Map.of());
        assertEquals(200, RawHttp.request(listener.port, "x", Duration.ofSeconds(5), "GET", "/v1/cattle/env",
                "Bearer " + token).status(), "someone else redeemed it first");
        VmRoot vm = vm().task("hello").bootstrap(listener.baseUrl(), token, Instant.now().plusSeconds(60));

        VmRoot.Run run = vm.run("echo ran > " + EnvFile.shellQuoted(dir.resolve("ran").toString()));

        assertEquals(Agent.ENV_REFUSED, run.exitCode(), run.log());
        assertTrue(run.log().contains("agent.env-refused status=401"), run.log());
        assertTrue(run.log().contains(EnvFetch.README_401.replace("\"", "\\\"")), run.log());
        assertFalse(run.log().contains("agent.env-retry"), "no retry: " + run.log());
        assertFalse(Files.exists(dir.resolve("ran")), "the task never ran");
        assertTrue(Files.exists(vm.file(CattleFiles.BOOTSTRAP_PATH)), "kept for the operator to look at");
        assertEquals("poweroff\n", Files.readString(vm.poweredOff()), "a failed VM powers off too");
        assertFalse(run.log().contains(token), "never the token: " + run.log());
    }

    @Test
    void anotherMachinesTokenIs403AndTheAgentStopsAtOnceNamingTheReadmeCase() throws Exception {
        listener = RealListener.verifyingPeers(dir);
        listener.tailscaled.node("127.0.0.1", TailscaledDouble.whoisOf("laptop.tail4f3b2.ts.net.", "laptop",
                RealListener.VM_NAME));
        VmRoot vm = vm().task("hello").bootstrap(listener.baseUrl(), listener.issue(listener.spawnJob(), Map.of()),
                Instant.now().plusSeconds(60));

        VmRoot.Run run = vm.run("exit 0");

        assertEquals(Agent.ENV_REFUSED, run.exitCode(), run.log());
        assertTrue(run.log().contains("agent.env-refused status=403"), run.log());
        assertTrue(run.log().contains(EnvFetch.README_403.replace("\"", "\\\"")), run.log());
        assertEquals(1, listener.tailscaled.requests().size(), "asked once, not retried");
    }

    @Test
    void a503WhileTailscaledCannotAnswerIsRetriedUntilTheEnvComes() throws Exception {
        listener = RealListener.verifyingPeers(dir);
        listener.tailscaled.node("127.0.0.1", TailscaledDouble.fixture()).fault(TailscaledDouble.Fault.GARBAGE);
        VmRoot vm = vm().task("hello").bootstrap(listener.baseUrl(), listener.issue(listener.spawnJob(), Map.of()),
                Instant.now().plusSeconds(60));

        CompletableFuture<VmRoot.Run> running = vm.start("exit 0");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!listener.log().contains("cattle.env-peer-unverified") && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(listener.log().contains("cattle.env-peer-unverified"), "the listener answered 503: " + listener.log());
        listener.tailscaled.fault(TailscaledDouble.Fault.NONE);
        VmRoot.Run run = running.get(60, TimeUnit.SECONDS);

        assertEquals(Agent.TASK_OK, run.exitCode(), run.log());
        assertTrue(run.log().contains("agent.env-retry attempt=1 problem=\"503 peer verification unavailable; try again\""),
                run.log());
        assertTrue(run.log().contains("agent.env-fetched"), run.log());
    }

    @Test
    void a503ThatLastsPastTheTokensExpiryEndsTheAgentWhichLeavesTheTokenUnspent() throws Exception {
        listener = RealListener.verifyingPeers(dir);
        listener.tailscaled.node("127.0.0.1", TailscaledDouble.fixture()).fault(TailscaledDouble.Fault.GARBAGE);
        String token = listener.issue(listener.spawnJob(), Map.of());
        Instant expiry = Instant.now().plusSeconds(2);
        VmRoot vm = vm().task("hello").bootstrap(listener.baseUrl(), token, expiry);

        VmRoot.Run run = vm.run("echo ran > " + EnvFile.shellQuoted(dir.resolve("ran").toString()));

        assertEquals(Agent.ENV_GAVE_UP, run.exitCode(), run.log());
        assertFalse(Instant.now().isBefore(expiry), "not before the deadline");
        assertTrue(run.log().contains("agent.env-gave-up"), run.log());
        assertTrue(run.log().contains("503 peer verification unavailable"), run.log());
        assertFalse(Files.exists(dir.resolve("ran")), "the task never ran");
        listener.tailscaled.fault(TailscaledDouble.Fault.NONE);
        assertEquals(200, RawHttp.request(listener.port, "x", Duration.ofSeconds(5), "GET", "/v1/cattle/env",
                "Bearer " + token).status(), "503s never spend the token");
    }
}
