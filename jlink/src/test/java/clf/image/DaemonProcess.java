package clf.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The real daemon, {@code bin/clf-orchestrator} of the image, as a child process with its own
 * state directory ({@code state.sqlite}, {@code run/bot.sock} in a 0755 directory). Its stdout
 * and stderr are drained into buffers as they come, so a chatty daemon never blocks on a full
 * pipe and tests can wait for a log line. {@link #close()} kills whatever is still running.
 */
final class DaemonProcess implements AutoCloseable {
    static final String READY = "clf-orchestrator.ready";
    static final String STOPPED = "clf-orchestrator.stopped";
    static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final int KEPT_OUTPUT = 4 << 20;
    private static final int KEPT_HEAD = 64 << 10;

    private final Process process;
    private final Path socket;
    private final StringBuilder out = new StringBuilder();
    private final StringBuilder err = new StringBuilder();
    private final Thread outReader;
    private final Thread errReader;

    private DaemonProcess(Process process, Path socket) {
        this.process = process;
        this.socket = socket;
        this.outReader = drain(process.getInputStream(), out, "stdout");
        this.errReader = drain(process.getErrorStream(), err, "stderr");
    }

    /** The environment of a daemon keeping its state in {@code dir}; creates {@code dir/run} (0755). */
    static Map<String, String> env(Path dir) throws IOException {
        Path run = dir.resolve("run");
        Files.createDirectories(run);
        Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwxr-xr-x"));
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CLF_DB_PATH", dir.resolve("state.sqlite").toString());
        env.put("CLF_SOCKET_PATH", socketIn(dir).toString());
        env.put("CLF_SHUTDOWN_GRACE_MS", "2000");
        env.put("CLF_CATTLE_ENABLED", "0"); // tests that need cattle run dev mode or set it up themselves
        return env;
    }

    static Path socketIn(Path dir) {
        return dir.resolve("run").resolve("bot.sock");
    }

    /**
     * The launcher in dev mode (a simulated Hetzner, the sample identity rex, cattle enabled),
     * with its identities under {@code dir/dev}; the CLF_ variables of {@link #env} still decide
     * where state and socket are.
     */
    static List<String> devCommand(Path dir) {
        return List.of(Image.bin("clf-orchestrator").toString(), "--dev", "--state-dir", dir.resolve("dev").toString());
    }

    /** Starts the daemon on state in {@code dir} and waits until it logs that it is ready. */
    static DaemonProcess start(Path dir) throws IOException, InterruptedException {
        return start(dir, Map.of());
    }

    /** As {@link #start(Path)}, with {@code extra} variables added to (or replacing) the defaults. */
    static DaemonProcess start(Path dir, Map<String, String> extra) throws IOException, InterruptedException {
        Map<String, String> env = env(dir);
        env.putAll(extra);
        DaemonProcess daemon = spawn(devCommand(dir), Path.of(env.get("CLF_SOCKET_PATH")), env);
        daemon.awaitReady();
        return daemon;
    }

    /**
     * Runs {@code command} (the launcher, or something that execs it) with exactly the CLF_ and
     * LISTEN_ variables in {@code env}: none leak in from the environment of the build.
     */
    static DaemonProcess spawn(List<String> command, Path socket, Map<String, String> env) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().keySet().removeIf(name -> name.startsWith("CLF_") || name.startsWith("LISTEN_"));
        builder.environment().putAll(env);
        return new DaemonProcess(builder.start(), socket);
    }

    /** Waits for the ready line; fails with the daemon's output if it exits or takes too long. */
    void awaitReady() throws InterruptedException {
        if (!awaitLog(READY, START_TIMEOUT)) {
            String state = process.isAlive() ? "not ready after " + START_TIMEOUT.toSeconds() + " s" : "exited " + process.exitValue();
            close();
            throw new AssertionError("daemon " + state + "\n" + output());
        }
    }

    /** Waits until stdout holds {@code fragment}; false if the daemon exits or time runs out first. */
    boolean awaitLog(String fragment, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (out) {
            while (out.indexOf(fragment) < 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || (!process.isAlive() && !outReader.isAlive())) {
                    return out.indexOf(fragment) >= 0;
                }
                out.wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 50)));
            }
            return true;
        }
    }

    /** Waits for the process to end and for its output to be read; fails if it runs on. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("daemon still running after " + timeout.toMillis() + " ms\n" + output());
        }
        outReader.join(5_000);
        errReader.join(5_000);
        return process.exitValue();
    }

    /** Sends a signal by name (TERM, INT, KILL) with kill(1). */
    void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid())).inheritIO().start();
        assertEquals(0, kill.waitFor(), "kill -" + name + " " + pid());
    }

    /** SIGTERM, then asserts exit code 0 and the stopped line. */
    void stop() throws IOException, InterruptedException {
        signal("TERM");
        int code = awaitExit(STOP_TIMEOUT);
        assertEquals(0, code, "exit code after SIGTERM\n" + output());
        assertTrue(out().contains(STOPPED), "no " + STOPPED + " line\n" + output());
    }

    /** Stops the daemon if it still runs (it must end cleanly, as {@link #stop}), then releases it. */
    void stopAndClose() throws IOException, InterruptedException {
        try {
            if (isAlive()) {
                stop();
            }
        } finally {
            close();
        }
    }

    long pid() {
        return process.pid();
    }

    Path socket() {
        return socket;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String out() {
        synchronized (out) {
            return out.toString();
        }
    }

    String err() {
        synchronized (err) {
            return err.toString();
        }
    }

    String output() {
        return "--- daemon stdout\n" + out() + "--- daemon stderr\n" + err();
    }

    /** Threads of the daemon's JVM, from /proc. */
    int threads() throws IOException {
        return count(Path.of("/proc", Long.toString(pid()), "task"));
    }

    /** Open file descriptors of the daemon, from /proc. */
    int fds() throws IOException {
        return count(Path.of("/proc", Long.toString(pid()), "fd"));
    }

    /**
     * Open descriptors by kind: "socket", "pipe", "anon_inode:[eventpoll]", "file" …, from the
     * targets of /proc/PID/fd (a Unix connection costs a socket; its XNIO pipe, pipes).
     */
    Map<String, Integer> fdKinds() throws IOException {
        Map<String, Integer> kinds = new java.util.TreeMap<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid()), "fd"))) {
            for (Path fd : fds.toList()) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (IOException e) {
                    continue; // closed while we listed
                }
                String kind = target.startsWith("socket:") ? "socket" : target.startsWith("pipe:") ? "pipe"
                        : target.startsWith("anon_inode:") ? target : "file";
                kinds.merge(kind, 1, Integer::sum);
            }
        }
        return kinds;
    }

    /** The thread names of the daemon's JVM (comm, at most 15 chars each). */
    List<String> threadNames() throws IOException {
        List<String> names = new ArrayList<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid()), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    names.add(Files.readString(task.resolve("comm")).strip());
                } catch (IOException e) {
                    // the thread ended while we listed
                }
            }
        }
        return names;
    }

    private static int count(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return (int) entries.count();
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static Thread drain(InputStream stream, StringBuilder into, String name) {
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line; (line = reader.readLine()) != null; ) {
                    synchronized (into) {
                        into.append(line).append('\n');
                        if (into.length() > KEPT_OUTPUT) {
                            // A benchmark logs a line per request: keep the start and the recent tail.
                            into.replace(KEPT_HEAD, KEPT_HEAD + KEPT_OUTPUT / 2, "[…]\n");
                        }
                        into.notifyAll();
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                synchronized (into) {
                    into.notifyAll();
                }
            }
        }, "daemon-" + name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
