package clf.cattle.internal;

import clf.protocol.Task;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code clf-cattle sample-task TASK_FILE}: the task dev mode and the tests run. It prints the
 * task's message and exits 0, or N when the message is {@code exit N} (0–255), so a bot can ask
 * dev mode for a failing task.
 */
public final class SampleTask {
    private static final Pattern EXIT = Pattern.compile("exit ([0-9]{1,3})");

    private SampleTask() {
    }

    public static int run(Path taskFile, PrintStream out, PrintStream err) {
        Task task;
        try {
            task = VmFiles.task(taskFile);
        } catch (VmFiles.Unusable e) {
            err.println("sample-task: " + e.getMessage());
            return Agent.BAD_INPUT;
        }
        out.println("task " + task.taskId() + ": " + task.message());
        Matcher exit = EXIT.matcher(task.message());
        if (exit.matches() && Integer.parseInt(exit.group(1)) <= 255) {
            return Integer.parseInt(exit.group(1));
        }
        return 0;
    }
}
