package clf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input is refused before anything is sent. Every run points {@code --socket} at a path that
 * does not exist: reaching the network would exit 3 with "no orchestrator socket", so the
 * validation message and exit code prove nothing was attempted.
 */
class ValidationBeforeSendingTest {

    @TempDir
    Path dir;

    private CliRun.Result run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--socket");
        all.add(dir.resolve("absent.sock").toString());
        return CliRun.run(all.toArray(new String[0]));
    }

    private Path task(String json) throws IOException {
        return Files.writeString(dir.resolve("task.json"), json);
    }

    private static void assertRefused(int exitCode, String message, CliRun.Result result) {
        assertEquals(exitCode, result.exitCode(), result.toString());
        assertTrue(result.err().contains(message), result.toString());
        assertFalse(result.err().contains("no orchestrator socket"), result.toString());
    }

    @Test
    void badTtlIsRefusedNamingTheFlag() throws IOException {
        Path task = task("{\"taskId\":\"t1\",\"message\":\"hi\"}");
        assertRefused(Main.REFUSED, "clf: --ttl: a duration like 30s, 15m, 2h or 1d, got '2 hours'\n",
                run("jobs", "enqueue", "cattle.spawn", "--identity", "rex", "--task-file", task.toString(),
                        "--ttl", "2 hours"));
    }

    @Test
    void missingTaskFileIsRefused() {
        String path = dir.resolve("nope.json").toString();
        assertRefused(Main.REFUSED, "clf: --task-file " + path + ": no such file",
                run("jobs", "enqueue", "cattle.spawn", "--identity", "rex", "--task-file", path));
    }

    @Test
    void taskFileWithInvalidJsonIsRefused() throws IOException {
        Path task = task("{\"taskId\": ");
        assertRefused(Main.REFUSED, "clf: --task-file " + task + ": invalid JSON (",
                run("jobs", "enqueue", "cattle.spawn", "--identity", "rex", "--task-file", task.toString()));
    }

    @Test
    void taskFileNotMatchingTheTaskSchemaIsRefusedWithTheField() throws IOException {
        Path task = task("{\"taskId\":\"t1\",\"message\":\"" + "x".repeat(16_385) + "\"}");
        assertRefused(Main.REFUSED, "clf: --task-file " + task + ": task.message: 1–16384 chars, got",
                run("jobs", "enqueue", "cattle.spawn", "--identity", "rex", "--task-file", task.toString()));
    }

    @Test
    void taskFileWithWrongSchemaVersionIsRefused() throws IOException {
        Path task = task("{\"schemaVersion\":2,\"taskId\":\"t1\",\"message\":\"hi\"}");
        assertRefused(Main.REFUSED, ": task.schemaVersion: 1, got 2",
                run("jobs", "enqueue", "cattle.spawn", "--identity", "rex", "--task-file", task.toString()));
    }

    @Test
    void unknownKindIsRefused() {
        assertRefused(Main.REFUSED, "clf: kind: one of cattle.spawn|cattle.reap, got 'cattle.milk'",
                run("jobs", "enqueue", "cattle.milk"));
        assertRefused(Main.REFUSED, "got 'cattle.milk'", run("jobs", "enqueue", "--kind", "cattle.milk"));
    }

    @Test
    void missingKindIsAUsageError() {
        assertRefused(Main.USAGE, "Missing required parameter: KIND", run("jobs", "enqueue"));
    }

    @Test
    void payloadOverridesAreCheckedByTheProtocolRulesAndNameTheFlag() {
        assertRefused(Main.REFUSED, "clf: --image: ",
                run("jobs", "enqueue", "cattle.spawn", "--identity", "rex", "--task-id", "t", "--message", "m",
                        "--image", "no spaces allowed"));
        assertRefused(Main.REFUSED, "clf: --identity: ",
                run("jobs", "enqueue", "cattle.spawn", "--identity", "Rex", "--task-id", "t", "--message", "m"));
        assertRefused(Main.REFUSED, "clf: --callback-url: ",
                run("jobs", "enqueue", "cattle.spawn", "--identity", "rex", "--task-id", "t", "--message", "m",
                        "--callback-url", "ftp://x"));
        assertRefused(Main.REFUSED, "clf: --max-attempts: 1–10, got 11",
                run("jobs", "enqueue", "cattle.reap", "--max-attempts", "11"));
        assertRefused(Main.REFUSED, "clf: --requester: 1–64 chars of [a-z0-9._-], got 'Maren'",
                run("jobs", "enqueue", "cattle.reap", "--requester", "Maren"));
        assertRefused(Main.REFUSED, "clf: --run-at: an ISO-8601 time",
                run("jobs", "enqueue", "cattle.reap", "--run-at", "tomorrow"));
    }

    @Test
    void spawnWithoutIdentityOrTaskIsAUsageError() {
        assertRefused(Main.USAGE, "Missing required option: '--identity=NAME'",
                run("jobs", "enqueue", "cattle.spawn", "--task-id", "t", "--message", "m"));
        assertRefused(Main.USAGE, "Missing required option: '--task-file=FILE', or '--task-id=ID'",
                run("jobs", "enqueue", "cattle.spawn", "--identity", "rex", "--task-id", "t"));
    }

    @Test
    void flagsOfTheOtherKindAreUsageErrors() {
        assertRefused(Main.USAGE, "--ttl applies to cattle.spawn only",
                run("jobs", "enqueue", "cattle.reap", "--ttl", "2h"));
        assertRefused(Main.USAGE, "--dry-run applies to cattle.reap only",
                run("jobs", "enqueue", "cattle.spawn", "--identity", "rex", "--task-id", "t", "--message", "m",
                        "--dry-run"));
    }

    @Test
    void aNegativeLimitIsRefused() {
        assertRefused(Main.REFUSED, "clf: --limit: a whole number (clamped to 1–500), got -1",
                run("jobs", "list", "--limit", "-1"));
    }

    @Test
    void limitThatIsNotANumberIsAUsageError() {
        assertRefused(Main.USAGE, "Invalid value for option '--limit': 'ten' is not an int",
                run("jobs", "list", "--limit", "ten"));
    }

    @Test
    void unknownStatusOrKindFilterIsRefused() {
        assertRefused(Main.REFUSED, "clf: --status: one of queued|running|done|failed|canceled, got 'finished'",
                run("jobs", "list", "--status", "queued, finished"));
        assertRefused(Main.REFUSED, "clf: --status: ", run("jobs", "list", "--status", ","));
        assertRefused(Main.REFUSED, "clf: --kind: one of cattle.spawn|cattle.reap|clf.prune, got 'x'",
                run("jobs", "list", "--kind", "x"));
    }

    @Test
    void missingJobIdIsAUsageError() {
        for (String command : new String[] {"show", "cancel", "events", "wait"}) {
            assertRefused(Main.USAGE, "Missing required option: '--job-id=ID'", run("jobs", command));
        }
    }

    @Test
    void badWaitDurationsAndRequestTimeoutAreRefused() {
        assertRefused(Main.REFUSED, "clf: --timeout: a duration like", run("jobs", "wait", "j1", "--timeout", "soon"));
        assertRefused(Main.REFUSED, "clf: --interval: a duration like", run("jobs", "wait", "j1", "--interval", "0s"));
        assertRefused(Main.REFUSED, "clf: --request-timeout: a duration like",
                run("jobs", "show", "j1", "--request-timeout", "10 seconds"));
    }

    @Test
    void validationErrorInJsonModeIsJsonOnStdout() {
        CliRun.Result result = run("jobs", "list", "--limit", "-1", "--json");
        assertEquals(Main.REFUSED, result.exitCode(), result.toString());
        assertEquals("""
                {
                  "ok": false,
                  "error": {
                    "message": "--limit: a whole number (clamped to 1–500), got -1",
                    "code": "invalid_input"
                  }
                }
                """, result.out());
        assertEquals("", result.err());
    }

    @Test
    void usageErrorInJsonModeIsJsonOnStdout() {
        CliRun.Result result = run("jobs", "show", "--json");
        assertEquals(Main.USAGE, result.exitCode(), result.toString());
        assertTrue(result.out().contains("\"code\": \"usage\""), result.toString());
        assertEquals("", result.err());
    }
}
