package clf.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What {@code watch ID} in {@code clf shell} shows of a job: one status line, its last error, and
 * its events as a table; on a dumb terminal, only what changed since the last look, line by line.
 */
final class WatchView {
    private String lastStatusLine;
    private int eventsShown;

    /** {@code job ID  KIND  STATUS  attempt A/M  updated T}. */
    static String statusLine(Map<?, ?> job) {
        return "job " + text(job.get("jobId")) + "  " + text(job.get("kind")) + "  " + text(job.get("status"))
                + "  attempt " + text(job.get("attempt")) + "/" + text(job.get("maxAttempts"))
                + "  updated " + JobViews.time(job.get("updatedAt"));
    }

    /** The whole view, for a terminal that redraws it in place. */
    static List<String> screen(Map<?, ?> job, List<?> events) {
        List<String> lines = new ArrayList<>();
        lines.add(statusLine(job));
        if (job.get("lastError") instanceof String error && !error.isEmpty()) {
            lines.add("last error: " + Table.of(1).row(error).lines().get(0));
        }
        lines.add("");
        lines.addAll(JobViews.eventsTable(events));
        return lines;
    }

    /** The status line if it changed, then each event not shown before. */
    List<String> changes(Map<?, ?> job, List<?> events) {
        List<String> lines = new ArrayList<>();
        String status = statusLine(job);
        if (!status.equals(lastStatusLine)) {
            lines.add(status);
            lastStatusLine = status;
        }
        if (events.size() > eventsShown) {
            List<String> table = JobViews.eventsTable(events.subList(eventsShown, events.size()));
            lines.addAll(table.subList(1, table.size()));
            eventsShown = events.size();
        }
        return lines;
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString();
    }
}
