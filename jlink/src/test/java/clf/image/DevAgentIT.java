package clf.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dev mode of the image runs the real agent: each simulated server starts {@code bin/clf-cattle}
 * as a child process under its own root ({@code STATE/vms/NAME}), which fetches its env over the
 * real cattle listener, runs the sample task and reports it, which the spawn's events show; a
 * task message {@code exit 3} makes it fail.
 */
class DevAgentIT {
    private static final Pattern SERVER_NAME = Pattern.compile("\"name\" *: *\"(cattle-[^\"]+)\"");

    @TempDir
    Path dir;
    DaemonProcess daemon;

    @AfterEach
    void stop() throws Exception {
        if (daemon != null) {
            daemon.stop();
        }
    }

    @Test
    void eachSimulatedServerRunsTheAgentWhichFetchesItsEnvAndRunsTheSampleTask() throws Exception {
        daemon = DaemonProcess.start(dir, Map.of("CLF_DEV_BOOT_DELAY_MS", "100"));
        Cli cli = Cli.on(DaemonProcess.socketIn(dir));

        String ok = spawn(cli, "t-ok", "hello from the bot");
        String failing = spawn(cli, "t-fail", "exit 3");

        Path okVm = vmOf(cli, ok);
        String okLog = awaitEnd(okVm);
        assertTrue(okLog.contains("agent.env-fetched variables="), okLog);
        assertTrue(okLog.contains("agent.end exit_code=0 auto_shutdown=true"), okLog);
        assertEquals("task t-ok: hello from the bot\n",
                Files.readString(okVm.resolve("root/var/lib/clf-cattle/task.log")));
        assertTrue(!Files.exists(okVm.resolve("root/run/clawdlets/cattle/bootstrap.json")), "the spent token is deleted");
        String okEvents = cli.run("jobs", "events", "--job-id", ok).out();
        for (String type : List.of("cattle.env-fetched", "cattle.task-started", "cattle.task-finished")) {
            assertTrue(okEvents.contains(type), type + " missing:\n" + okEvents);
        }

        String failedLog = awaitEnd(vmOf(cli, failing));
        assertTrue(failedLog.contains("agent.task-finished exit_code=3"), failedLog);
        assertTrue(failedLog.contains("agent.end exit_code=1"), failedLog);
        assertTrue(cli.run("jobs", "events", "--job-id", failing).out().contains("exit 3"), "the failure is reported");
        assertTrue(daemon.out().contains("dev.vm-agent-exited"), daemon.output());
    }

    private static String spawn(Cli cli, String taskId, String message) {
        String key = "key-" + taskId;
        Image.Result enqueued = cli.run("jobs", "enqueue", "cattle.spawn", "--requester", "maren", "--identity", "rex",
                "--idempotency-key", key, "--task-id", taskId, "--message", message, "--ttl", "1h");
        assertEquals(0, enqueued.exitCode(), enqueued.toString());
        String job = enqueued.out().strip();
        Image.Result waited = cli.run("jobs", "wait", "--job-id", job, "--timeout", "60s");
        assertEquals(0, waited.exitCode(), waited.toString());
        return job;
    }

    private Path vmOf(Cli cli, String job) {
        Image.Result shown = cli.run("jobs", "show", "--job-id", job, "--json");
        Matcher name = SERVER_NAME.matcher(shown.out());
        assertTrue(name.find(), shown.toString());
        return dir.resolve("dev/vms").resolve(name.group(1));
    }

    /** The agent's log once it has ended (it logs agent.end last but for power-off). */
    private String awaitEnd(Path vm) throws IOException, InterruptedException {
        Path log = vm.resolve("agent.log");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains("agent.poweroff")) {
                return Files.readString(log);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the agent never ended: " + (Files.exists(log) ? Files.readString(log) : "no log")
                + "\n" + daemon.output());
    }
}
