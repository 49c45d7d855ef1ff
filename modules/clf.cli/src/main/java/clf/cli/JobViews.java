package clf.cli;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** How jobs and events look to people (the {@code --json} output is the daemon's answer as is). */
final class JobViews {
    /** The JobSummary fields {@code show} lists first, in this order; others follow. */
    private static final List<String> SHOWN_FIRST = List.of("jobId", "kind", "status", "requester",
            "idempotencyKey", "priority", "attempt", "createdAt", "updatedAt", "runAt", "cancelRequested",
            "lastError");
    private static final Set<String> TIMES = Set.of("createdAt", "updatedAt", "runAt");

    private JobViews() {
    }

    /** {@code JOB KIND STATUS ATT UPDATED}: JOB is the id's first 8 chars, ATT is attempt/maxAttempts. */
    static List<String> listTable(List<?> jobs) {
        Table table = Table.withHeader("JOB", "KIND", "STATUS", "ATT", "UPDATED");
        for (Object item : jobs) {
            Map<?, ?> job = asMap(item);
            String id = text(job.get("jobId"));
            table.row(id.length() > 8 ? id.substring(0, 8) : id, text(job.get("kind")), text(job.get("status")),
                    attempts(job), time(job.get("updatedAt")));
        }
        return table.lines();
    }

    /** Aligned {@code key  value} lines, then {@code payload:} and {@code result:} as pretty JSON. */
    static List<String> showView(Map<?, ?> job) {
        Set<String> keys = new LinkedHashSet<>(SHOWN_FIRST);
        for (Object key : job.keySet()) {
            keys.add(String.valueOf(key));
        }
        keys.removeAll(List.of("maxAttempts", "payload", "result"));
        Table table = Table.of(2);
        for (String key : keys) {
            if (!job.containsKey(key)) {
                continue;
            }
            Object value = job.get(key);
            if (key.equals("attempt")) {
                table.row(key, attempts(job));
            } else if (key.equals("task") && value instanceof Map<?, ?> task) {
                table.row(key, task(task));
            } else if (TIMES.contains(key)) {
                table.row(key, time(value));
            } else if (value instanceof Map || value instanceof List) {
                table.row(key, Json.compact(value));
            } else {
                String shown = text(value);
                table.row(key, shown.isEmpty() ? "-" : shown);
            }
        }
        List<String> lines = new ArrayList<>(table.lines());
        for (String block : List.of("payload", "result")) {
            if (job.containsKey(block)) {
                lines.add(block + ":");
                lines.addAll(Json.pretty(job.get(block)).lines().toList());
            }
        }
        return lines;
    }

    /**
     * A spawn's task in words: {@code not started}, {@code started 2026-… }, or
     * {@code finished, exit 3 after 1.5 s: summary}.
     */
    static String task(Map<?, ?> task) {
        Object state = task.get("state");
        if ("finished".equals(state)) {
            String summary = text(task.get("summary")); // the VM's words: the table's cell cleaning makes them one line
            long ms = task.get("durationMs") instanceof Number n ? n.longValue() : 0;
            return "finished, exit " + text(task.get("exitCode")) + " after " + String.format(java.util.Locale.ROOT,
                    "%.1f s", ms / 1000.0) + (summary.isEmpty() ? "" : ": " + summary);
        }
        if ("started".equals(state)) {
            return "started " + time(task.get("at"));
        }
        return "not-started".equals(state) ? "not started" : text(state);
    }

    /** {@code AT TYPE ATTEMPT MESSAGE}, oldest first as the daemon sends them. */
    static List<String> eventsTable(List<?> events) {
        Table table = Table.withHeader("AT", "TYPE", "ATTEMPT", "MESSAGE");
        for (Object item : events) {
            Map<?, ?> event = asMap(item);
            table.row(time(event.get("at")), text(event.get("type")), text(event.get("attempt")),
                    text(event.get("message")));
        }
        return table.lines();
    }

    /** An ISO time for people: {@code 2026-01-17T21:08:32.000Z} becomes {@code 2026-01-17 21:08:32.000}. */
    static String time(Object iso) {
        String text = text(iso);
        if (text.endsWith("Z")) {
            text = text.substring(0, text.length() - 1);
        }
        return text.replace('T', ' ');
    }

    private static String attempts(Map<?, ?> job) {
        return text(job.get("attempt")) + "/" + text(job.get("maxAttempts"));
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString();
    }

    static Map<?, ?> asMap(Object value) {
        if (value instanceof Map<?, ?> map) {
            return map;
        }
        throw Failure.refused("bad_response", "bad response: expected a JSON object, got " + Json.compact(value));
    }

    static List<?> asList(Object value, String field) {
        if (value instanceof List<?> list) {
            return list;
        }
        throw Failure.refused("bad_response", "bad response: " + field + " is not a JSON array");
    }
}
