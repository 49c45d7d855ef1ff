package clf.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole life of a task from the image alone (issue 13): the real bin/clf against the real
 * bin/clf-orchestrator in dev mode, whose simulated VMs each run the real bin/clf-cattle. The agent
 * fetches its env over the cattle listener, runs dev mode's sample task (which prints the task's
 * message and exits N for the message "exit N") and reports it; {@code clf jobs wait --task} exits
 * 0 for exit code 0 and 4 otherwise, {@code clf jobs show} names the outcome, and the server is
 * deleted.
 */
class TaskOutcomeIT {
    @TempDir
    Path dir;
    Cli clf;

    /** Spawns a task with {@code message}, and waits for the task with the real CLI. */
    Image.Result spawnAndWaitForTask(String key, String message) throws Exception {
        Path task = Files.writeString(dir.resolve("task.json"), """
                {"schemaVersion": 1, "taskId": "t-1", "type": "clawdbot.gateway.agent", "message": "%s"}
                """.formatted(message));
        clf = Cli.on(DaemonProcess.socketIn(dir));
        Image.Result enqueued = clf.run("jobs", "enqueue", "cattle.spawn", "--requester", "maren",
                "--idempotency-key", "task-" + key, "--identity", "rex", "--task-file", task.toString(),
                "--ttl", "2h", "--json");
        assertEquals(0, enqueued.exitCode(), enqueued.toString());
        String id = (String) JSON.std.mapFrom(enqueued.out()).get("jobId");
        return clf.run("jobs", "wait", id, "--task", "--timeout", "60s");
    }

    /** The job id in {@code clf jobs show}'s text, which {@code wait} prints at the end. */
    static String jobIdOf(Image.Result shown) {
        return shown.out().lines().filter(line -> line.startsWith("jobId")).findFirst().orElseThrow()
                .substring("jobId".length()).strip();
    }

    @Test
    void waitTaskExitsZeroForATaskThatExitedZeroAndTheServerIsDeleted() throws Exception {
        DaemonProcess daemon = DaemonProcess.start(dir, Map.of("CLF_DEV_BOOT_DELAY_MS", "100"));
        try {
            Image.Result waited = spawnAndWaitForTask("0", "hello");
            assertEquals(0, waited.exitCode(), waited.toString());
            assertTrue(waited.out().matches("(?s).*task +finished, exit 0 after [0-9.]+ s: .*hello.*"), waited.out());
            String id = jobIdOf(waited);
            // The reap the finished task asked for deletes the server within a minute.
            List<Object> types = List.of();
            for (long deadline = System.nanoTime() + 60_000_000_000L; System.nanoTime() < deadline
                    && !types.contains("cattle.server-deleted"); Thread.sleep(250)) {
                Map<String, Object> events = JSON.std.mapFrom(clf.run("jobs", "events", id, "--json").out());
                types = ((List<?>) events.get("events")).stream().map(e -> (Object) ((Map<?, ?>) e).get("type")).toList();
            }
            assertEquals(List.of("cattle.env-fetched", "cattle.task-started", "cattle.task-finished",
                    "cattle.delete-requested", "cattle.server-deleted"), types.subList(types.indexOf("cattle.env-fetched"),
                    types.size()), types.toString());
        } finally {
            daemon.stop();
        }
    }

    @Test
    void waitTaskExitsFourForATaskThatFailedAndShowSaysSo() throws Exception {
        DaemonProcess daemon = DaemonProcess.start(dir, Map.of("CLF_DEV_BOOT_DELAY_MS", "100"));
        try {
            Image.Result waited = spawnAndWaitForTask("3", "exit 3");
            assertEquals(4, waited.exitCode(), waited.toString());
            assertTrue(waited.err().contains("the task of job") && waited.err().contains("ended with exit code 3"),
                    waited.toString());
            String id = jobIdOf(waited);
            Map<?, ?> job = (Map<?, ?>) JSON.std.mapFrom(clf.run("jobs", "show", id, "--json").out()).get("job");
            Map<?, ?> task = (Map<?, ?>) job.get("task");
            assertEquals("finished", task.get("state"), job.toString());
            assertEquals(3, task.get("exitCode"));
        } finally {
            daemon.stop();
        }
    }
}
