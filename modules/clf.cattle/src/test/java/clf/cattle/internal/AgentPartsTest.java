package clf.cattle.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.cattle.Main;
import clf.protocol.TaskReport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's parts on their own: settings, backoff, the env file, the summary, the sample task. */
class AgentPartsTest {
    @TempDir
    Path dir;

    @Test
    void everyBadSettingIsNamedAtOnce() {
        AgentConfig.Invalid invalid = assertThrows(AgentConfig.Invalid.class, () -> AgentConfig.parse(
                List.of("--time-margin-seconds", "soon", "--bogus", "--env-file", "relative/env"),
                Map.of("CLF_CATTLE_AUTO_SHUTDOWN", "yes")));
        assertEquals("unknown argument: --bogus (see --help); --task-command (or CLF_CATTLE_TASK_COMMAND): the image's"
                + " task command is required; --env-file (or CLF_CATTLE_ENV_FILE): an absolute path, got 'relative/env';"
                + " --time-margin-seconds (or CLF_CATTLE_TIME_MARGIN_SECONDS): whole seconds from 0 to 86400, got 'soon';"
                + " --auto-shutdown (or CLF_CATTLE_AUTO_SHUTDOWN): 0 or 1, got 'yes'", invalid.getMessage());
    }

    @Test
    void flagsWinOverVariablesAndTheRootMovesEveryPath() throws Exception {
        AgentConfig config = AgentConfig.parse(List.of("--task-command=run-it", "--root", dir.toString()),
                Map.of("CLF_CATTLE_TASK_COMMAND", "other", "CLF_CATTLE_AUTO_SHUTDOWN", "0"));
        assertEquals("run-it", config.taskCommand());
        assertFalse(config.autoShutdown());
        assertEquals(AgentConfig.DEFAULT_MARGIN, config.timeMargin());
        assertEquals(dir.resolve("run/clf-cattle/env"), config.path(config.envFile()));
        assertEquals(Path.of("/run/clf-cattle/env"), AgentConfig.parse(List.of(), Map.of("CLF_CATTLE_TASK_COMMAND", "x"))
                .path(AgentConfig.DEFAULT_ENV_FILE));
    }

    @Test
    void badSettingsExit2WithTheirMessage() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(List.of(), Map.of(), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(Agent.BAD_INPUT, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("task command is required"), err.toString());
    }

    /** The log names a README case by its opening words; they must stay there (backticks aside). */
    @Test
    void theTroubleshootingCasesTheLogNamesAreInTheReadme() throws Exception {
        String readme = Files.readString(Path.of(System.getProperty("clf.repository"), "README.md")).replace("`", "");
        String troubleshooting = readme.substring(readme.indexOf("## Troubleshooting"));
        for (String name : List.of(EnvFetch.CASE_401, EnvFetch.CASE_403, EnvFetch.CASE_GAVE_UP)) {
            assertTrue(troubleshooting.contains("- " + name), name);
        }
    }

    @Test
    void backoffDoublesToItsCapWithJitterInTheUpperHalf() {
        Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(10));
        Random random = new Random(7);
        for (int attempt = 1; attempt <= 30; attempt++) {
            long ceiling = Math.min(500L << Math.min(attempt - 1, 20), 10_000);
            long ms = backoff.delay(attempt, random).toMillis();
            assertTrue(ms >= ceiling / 2 && ms <= ceiling, attempt + ": " + ms);
        }
    }

    @Test
    void theEnvFileIsShellQuotedSortedAndRefusedOffATmpfs() throws Exception {
        Path file = dir.resolve("run/env");
        EnvFile.write(file, Map.of("B", "it's", "A", "x y"), false);
        assertEquals("export A='x y'\nexport B='it'\\''s'\n", Files.readString(file));
        assertThrows(IOException.class, () -> EnvFile.write(file, Map.of("BAD-NAME", "v"), false));

        String type = Files.getFileStore(dir).type();
        if (!type.equals("tmpfs")) {
            IOException refused = assertThrows(IOException.class, () -> EnvFile.write(file, Map.of("A", "v"), true));
            assertTrue(refused.getMessage().contains("not a tmpfs"), refused.getMessage());
        }
        Path shm = Path.of("/dev/shm");
        if (Files.isWritable(shm) && Files.getFileStore(shm).type().equals("tmpfs")) {
            Path onTmpfs = Files.createTempDirectory(shm, "clf-cattle-test").resolve("env");
            try {
                EnvFile.write(onTmpfs, Map.of("A", "v"), true);
                assertEquals("export A='v'\n", Files.readString(onTmpfs));
            } finally {
                Files.deleteIfExists(onTmpfs);
                Files.deleteIfExists(onTmpfs.getParent());
            }
        }
    }

    @Test
    void theSummaryIsTheLast4KibCutAtAWholeCharacter() throws Exception {
        Path log = dir.resolve("task.log");
        String head = "x".repeat(10_000);
        String tail = "é".repeat(3000) + "!"; // two bytes each: the 4 KiB cut falls inside one
        Files.writeString(log, head + tail);
        String summary = TaskRun.summary(log);
        assertTrue(summary.getBytes(StandardCharsets.UTF_8).length <= TaskReport.MAX_SUMMARY_BYTES);
        assertEquals("é".repeat(2047) + "!", summary);
        Files.write(log, new byte[] {'o', 'k', (byte) 0xff, '\n'});
        assertEquals("ok\uFFFD\n", TaskRun.summary(log));
    }

    @Test
    void aReportPathThatIsNoPathOnTheListenerGetsNoCredential() throws Exception {
        ByteArrayOutputStream logged = new ByteArrayOutputStream();
        Reporter reporter = new Reporter(java.net.http.HttpClient.newHttpClient(), java.net.URI.create("http://127.0.0.1:1"),
                new clf.protocol.CattleEnvAnswer.Report("secret", "@evil.example/v1/cattle/task",
                        java.time.Instant.now().plusSeconds(60)), java.time.Clock.systemUTC(), Backoff.DEFAULT,
                new Random(1), new clf.protocol.LogLines(new PrintStream(logged, true, StandardCharsets.UTF_8),
                        java.time.Clock.systemUTC()));
        assertFalse(reporter.send(TaskReport.started()));
        assertTrue(logged.toString(StandardCharsets.UTF_8).contains("not a path on the listener"), logged.toString());
    }

    @Test
    void theSampleTaskPrintsTheMessageAndExitsAsItSays() throws Exception {
        VmRoot vm = new VmRoot(dir).task("exit 3");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Path task = vm.file(clf.protocol.CattleFiles.TASK_PATH);
        assertEquals(3, Main.run(List.of("sample-task", task.toString()), Map.of(),
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err));
        assertEquals("task t-1: exit 3\n", out.toString(StandardCharsets.UTF_8));
        vm.task("summarise the pull requests");
        assertEquals(0, Main.run(List.of("sample-task", task.toString()), Map.of(), new PrintStream(out), System.err));
    }
}
