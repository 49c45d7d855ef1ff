package clf.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.testing.HostTool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code clf shell} of the image in a real pseudo-terminal: tmux runs it against a dev-mode
 * daemon, keys are typed with send-keys and the screen is read with capture-pane. Skipped when
 * tmux is not installed (Debian package tmux), and failed then under {@code CI=true}.
 */
class ShellIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    static Path dir;

    private static DaemonProcess daemon;
    private static Cli cli;

    private final String server = "clf-shellit-" + ProcessHandle.current().pid() + "-" + System.nanoTime();

    @BeforeAll
    static void startDaemon() throws Exception {
        HostTool.require(HostTool.onPath("tmux"), "tmux");
        daemon = DaemonProcess.start(dir.resolve("daemon"));
        cli = Cli.on(daemon.socket());
    }

    @AfterAll
    static void stopDaemon() throws Exception {
        if (daemon != null) {
            daemon.stop();
        }
    }

    @AfterEach
    void killTmux() throws Exception {
        tmux("kill-server");
    }

    @Test
    void completesJobIdsRunsCommandsWatchesAJobAndKeepsHistory() throws Exception {
        String done = enqueue("--dry-run");
        assertEquals(0, cli.run("jobs", "wait", done, "--timeout", "30s").exitCode());
        String later = enqueue("--dry-run", "--run-at", Instant.now().plus(1, ChronoUnit.HOURS).toString());
        Path state = dir.resolve("state-rich");
        start(state, "xterm-256color");

        // TAB completes a job id fetched from the daemon; the line runs as `clf jobs show ID`.
        type("jobs show " + done.substring(0, 8));
        keys("Tab");
        await("the completed id", screen -> screen.contains("jobs show " + done));
        keys("Enter");
        await("the job", screen -> screen.contains("status") && screen.contains("done"));

        // Statuses complete too; Ctrl-C abandons the line.
        keys("C-l");
        type("jobs list --status ");
        keys("Tab", "Tab");
        await("the statuses", screen -> screen.contains("running") && screen.contains("canceled"));
        keys("C-c");
        keys("C-l");
        await("an empty prompt", screen -> screen.strip().equals("clf>"));

        // watch draws the job live, in colour, until Ctrl-C.
        type("watch " + later);
        keys("Enter");
        await("the watched job", screen -> screen.contains("queued") && screen.contains("enqueue"));
        assertTrue(capture(true).contains("\u001b["), "colour on a capable terminal");
        keys("C-c");
        await("the prompt after watch", screen -> screen.strip().endsWith("clf>"));

        // An error is printed, its exit code shown, and the session goes on.
        type("jobs nope");
        keys("Enter");
        await("the usage error", screen -> screen.contains("Unmatched argument") && screen.contains("clf [1]>"));

        // Ctrl-D leaves with 0; the lines are in $XDG_STATE_HOME/clf/history.
        keys("C-d");
        await("the end of the session", screen -> paneDead());
        // The exit code: written down by the session's shell, else tmux's record of it. Under tmux
        // 3.3 neither is always there (the pane is marked dead before either is recorded); then
        // the dead pane and the saved history below are the proof that Ctrl-D ended the session.
        String status = "";
        for (long deadline = System.nanoTime() + 2_000_000_000L; status.isEmpty() && System.nanoTime() < deadline; ) {
            status = Files.exists(exitFile()) ? Files.readString(exitFile()).strip()
                    : tmux("display-message", "-p", "-t", "shell", "#{pane_dead_status}").strip();
            if (status.isEmpty()) {
                Thread.sleep(50);
            }
        }
        if (!status.isEmpty()) {
            assertEquals("0", status, "exit code of clf shell after Ctrl-D");
        }
        String history = Files.readString(state.resolve("clf/history"));
        assertTrue(history.contains("jobs show " + done), history);
        assertTrue(history.contains("watch " + later), history);
        assertFalse(history.contains("jobs list --status"), "an abandoned line is not history\n" + history);
    }

    @Test
    void aDumbTerminalGetsPlainLines() throws Exception {
        String job = enqueue("--dry-run");
        assertEquals(0, cli.run("jobs", "wait", job, "--timeout", "30s").exitCode());
        start(dir.resolve("state-dumb"), "dumb");
        type("jobs list");
        keys("Enter");
        await("the table", screen -> screen.contains("JOB") && screen.contains(job.substring(0, 8)));
        type("watch " + job);
        keys("Enter");
        await("the watched job", screen -> screen.contains("job " + job) && screen.contains("done"));
        assertFalse(capture(true).contains("\u001b["), "no escape sequences on a dumb terminal:\n" + capture(true));
        type("exit");
        keys("Enter");
        await("the end of the session", screen -> paneDead());
    }

    @Test
    void botTextIsShownWithoutItsControlsOrBidiOverrides() throws Exception {
        Path task = dir.resolve("hostile-task.json");
        Files.writeString(task, com.fasterxml.jackson.jr.ob.JSON.std.asString(java.util.Map.of("schemaVersion", 1,
                "taskId", "t-h", "type", "clawdbot.gateway.agent", "message", CliEndToEndIT.HOSTILE)));
        Image.Result enqueued = cli.run("jobs", "enqueue", "cattle.spawn", "--requester", "maren", "--identity", "rex",
                "--task-file", task.toString(), "--ttl", "2h", "--run-at",
                Instant.now().plus(1, ChronoUnit.HOURS).toString());
        assertEquals(0, enqueued.exitCode(), enqueued.toString());
        String job = enqueued.out().strip();
        start(dir.resolve("state-hostile"), "xterm-256color");
        type("jobs show " + job);
        keys("Enter");
        await("the payload", screen -> screen.contains("txt.exe"));
        CliEndToEndIT.assertHarmless(capture(true).replaceAll("\u001b\\[[0-9;]*m", "")); // the prompt's own colour
        assertTrue(capture(false).contains("\uFFFDtxt.exe"), capture(false));
        type("exit");
        keys("Enter");
        await("the end of the session", screen -> paneDead());
    }

    private String enqueue(String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("jobs", "enqueue", "cattle.reap"));
        args.addAll(List.of(extra));
        Image.Result result = cli.run(args.toArray(new String[0]));
        assertEquals(0, result.exitCode(), result.toString());
        return result.out().strip();
    }

    private Path exitFile() {
        return dir.resolve("shell.exit");
    }

    /** Starts {@code bin/clf shell} in a detached 120x40 tmux session, and waits for its prompt. */
    private void start(Path state, String term) throws Exception {
        Files.deleteIfExists(exitFile());
        Path config = dir.resolve("tmux.conf");
        Files.writeString(config, "set -g remain-on-exit on\nset -g default-terminal screen-256color\n");
        tmux("-f", config.toString(), "new-session", "-d", "-x", "120", "-y", "40", "-s", "shell",
                "env", "-u", "CLF_JAVA_OPTS", "TERM=" + term, "HOME=" + dir, "XDG_STATE_HOME=" + state,
                "CLF_SOCKET_PATH=" + daemon.socket(), "sh", "-c", "\"$0\" shell; echo $? > \"$1\"",
                Image.bin("clf").toString(), exitFile().toString());
        await("the prompt", screen -> screen.contains("clf>"));
    }

    private void type(String text) throws Exception {
        tmux("send-keys", "-t", "shell", "-l", text);
    }

    private void keys(String... keys) throws Exception {
        for (String key : keys) {
            tmux("send-keys", "-t", "shell", key);
            Thread.sleep(150); // one key at a time, as typed
        }
    }

    private boolean paneDead() {
        try {
            return tmux("display-message", "-p", "-t", "shell", "#{pane_dead}").strip().equals("1");
        } catch (Exception e) {
            return false;
        }
    }

    private String capture(boolean escapes) throws Exception {
        return escapes ? tmux("capture-pane", "-p", "-e", "-t", "shell") : tmux("capture-pane", "-p", "-t", "shell");
    }

    private void await(String what, Predicate<String> ready) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        String screen = "";
        while (System.nanoTime() < deadline) {
            screen = capture(false);
            if (ready.test(screen)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no " + what + " on the screen within " + WAIT.toSeconds() + " s:\n" + screen
                + "\n" + daemon.output());
    }

    private String tmux(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("tmux", "-L", server));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command + " hung");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (process.exitValue() != 0 && !args[0].equals("kill-server")) {
            throw new IOException(command + ": exit " + process.exitValue() + ": " + text);
        }
        return text;
    }
}
