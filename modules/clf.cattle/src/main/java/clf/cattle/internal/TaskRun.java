package clf.cattle.internal;

import clf.protocol.TaskReport;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The task command, run once: {@code /bin/sh -c COMMAND clf-task TASK_FILE} (so the task file is
 * {@code $1}, and {@code CLF_TASK_FILE} too) with the fetched env added to the agent's own, its
 * output and errors together in the task log (0600, never the journal: a task may print what it
 * was given). At the time limit the command and everything it started get SIGTERM, then SIGKILL
 * after {@link #KILL_GRACE}. The summary is the last {@link TaskReport#MAX_SUMMARY_BYTES} bytes of
 * the task log, cut to whole UTF-8 characters.
 */
public final class TaskRun {
    static final Duration KILL_GRACE = Duration.ofSeconds(5);

    /** How the command ended. {@code exitCode} is {@link TaskReport#KILLED_AT_TIME_LIMIT} when it was killed. */
    public record Result(int exitCode, long durationMs, String summary) {
        public boolean killed() {
            return exitCode == TaskReport.KILLED_AT_TIME_LIMIT;
        }
    }

    private TaskRun() {
    }

    /**
     * @param limit how long the command may run; null for no limit
     * @throws IOException when the command cannot be started at all
     */
    public static Result run(String command, Path taskFile, Map<String, String> env, Path taskLog, Duration limit)
            throws IOException, InterruptedException {
        Files.createDirectories(taskLog.getParent(),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.deleteIfExists(taskLog);
        Files.createFile(taskLog, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        ProcessBuilder builder = new ProcessBuilder(List.of("/bin/sh", "-c", command, "clf-task", taskFile.toString()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(taskLog.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().putAll(env);
        builder.environment().put("CLF_TASK_FILE", taskFile.toString());
        long start = System.nanoTime();
        Process process = builder.start();
        boolean ended = limit == null ? waitFor(process) : process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
        int exitCode;
        if (ended) {
            exitCode = process.exitValue();
        } else {
            stop(process);
            exitCode = TaskReport.KILLED_AT_TIME_LIMIT;
        }
        long durationMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        return new Result(exitCode, durationMs, summary(taskLog));
    }

    private static boolean waitFor(Process process) throws InterruptedException {
        process.waitFor();
        return true;
    }

    /** SIGTERM to the command and all it started, SIGKILL to whatever is left after the grace. */
    static void stop(Process process) throws InterruptedException {
        List<ProcessHandle> tree = process.descendants().toList();
        process.destroy();
        tree.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + KILL_GRACE.toNanos();
        for (ProcessHandle handle : concat(process.toHandle(), tree)) {
            long left = deadline - System.nanoTime();
            try {
                handle.onExit().get(Math.max(0, left), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                handle.destroyForcibly();
            }
        }
        process.waitFor();
    }

    private static List<ProcessHandle> concat(ProcessHandle first, List<ProcessHandle> rest) {
        List<ProcessHandle> all = new java.util.ArrayList<>(rest.size() + 1);
        all.add(first);
        all.addAll(rest);
        return all;
    }

    /** The last {@link TaskReport#MAX_SUMMARY_BYTES} bytes of the log as whole characters (malformed ones as U+FFFD). */
    static String summary(Path taskLog) throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(taskLog.toFile(), "r")) {
            long length = file.length();
            int size = (int) Math.min(length, TaskReport.MAX_SUMMARY_BYTES);
            byte[] tail = new byte[size];
            file.seek(length - size);
            file.readFully(tail);
            int from = 0;
            while (from < tail.length && from < 3 && (tail[from] & 0xC0) == 0x80) {
                from++; // the middle of a character the cut went through
            }
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .decode(ByteBuffer.wrap(tail, from, tail.length - from)).toString();
            // A replacement character is 3 bytes for what may have been 1: trim from the front until it fits.
            while (text.getBytes(StandardCharsets.UTF_8).length > TaskReport.MAX_SUMMARY_BYTES) {
                text = text.substring(Character.charCount(text.codePointAt(0)));
            }
            return text;
        }
    }
}
