package clf.server.internal.cattle;

import clf.protocol.TaskReport;
import clf.protocol.WireTime;
import clf.queue.JobEvent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The task's outcome in a spawn job's history (issue 13 §2): the events the cattle listener
 * records when the VM's agent reports, and the {@code task} object the bot API derives from them.
 * This class writes the messages and is the one that reads them back.
 */
public final class TaskEvents {
    public static final String STARTED = "cattle.task-started";
    public static final String FINISHED = "cattle.task-finished";
    public static final String DELETE_REQUESTED = "cattle.delete-requested";
    private static final Pattern FINISHED_MESSAGE = Pattern.compile("exit (-?\\d+) after (\\d+) ms(?:: (.*))?",
            Pattern.DOTALL);

    private TaskEvents() {
    }

    /** The event type of a report. */
    public static String type(TaskReport report) {
        return report.isFinished() ? FINISHED : STARTED;
    }

    /**
     * The event message of a report, as the store keeps it (stripped); the same report always
     * makes the same message, which is how a repeated report is recognized. The summary is kept
     * as the VM wrote it: the CLI cleans every event message it shows (ShownText).
     */
    public static String message(TaskReport report, String server) {
        String message = report.isFinished()
                ? "exit " + report.exitCode() + " after " + report.durationMs() + " ms"
                        + (report.summary().isBlank() ? "" : ": " + report.summary())
                : "on " + server;
        return message.strip();
    }

    /** The last report event of a job's history, if any. */
    public static Optional<JobEvent> last(List<JobEvent> history) {
        JobEvent last = null;
        for (JobEvent event : history) {
            if (event.type().equals(STARTED) || event.type().equals(FINISHED)) {
                last = event;
            }
        }
        return Optional.ofNullable(last);
    }

    /**
     * The bot-visible {@code task} of a spawn job: {@code state} ("not-started", "started",
     * "finished"), when it changed, and once finished its {@code exitCode}, {@code durationMs} and
     * {@code summary}.
     */
    public static Map<String, Object> json(List<JobEvent> history) {
        Map<String, Object> task = new LinkedHashMap<>();
        Optional<JobEvent> last = last(history);
        if (last.isEmpty()) {
            task.put("state", "not-started");
            return task;
        }
        JobEvent event = last.get();
        Matcher finished = FINISHED_MESSAGE.matcher(event.message());
        if (event.type().equals(FINISHED) && finished.matches()) {
            task.put("state", "finished");
            task.put("at", WireTime.format(event.at()));
            task.put("exitCode", Integer.parseInt(finished.group(1)));
            task.put("durationMs", Long.parseLong(finished.group(2)));
            task.put("summary", finished.group(3) == null ? "" : finished.group(3));
        } else {
            task.put("state", "started");
            task.put("at", WireTime.format(event.at()));
        }
        return task;
    }
}
