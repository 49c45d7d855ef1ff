package clf.protocol;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What the agent on a cattle VM ({@code clf-cattle}) reports about its task, as the body of
 * {@code POST /v1/cattle/task} on the cattle listener, authenticated with the report credential
 * that came with the VM's env ({@link CattleEnvAnswer.Report}). A report may be sent again (the
 * agent retries until it has an answer); the same report twice is answered like the first.
 *
 * @param event      {@link #STARTED} or {@link #FINISHED}
 * @param exitCode   the task command's exit code (finished only; 0–255, or -1 when it was killed
 *                   at its time limit)
 * @param durationMs how long the task command ran (finished only)
 * @param summary    the task's own words about its outcome, at most {@link #MAX_SUMMARY_BYTES}
 *                   bytes of UTF-8 (finished only; may be empty)
 */
public record TaskReport(String event, Integer exitCode, Long durationMs, String summary) {
    public static final String STARTED = "started";
    public static final String FINISHED = "finished";
    public static final int MAX_SUMMARY_BYTES = 4096;
    /** Exit code reported for a task the agent killed at its time limit. */
    public static final int KILLED_AT_TIME_LIMIT = -1;
    private static final Set<String> FIELDS = Set.of("protocolVersion", "event", "exitCode", "durationMs", "summary");

    public TaskReport {
        if (!STARTED.equals(event) && !FINISHED.equals(event)) {
            throw new InvalidInputException("event", "\"" + STARTED + "\" or \"" + FINISHED + "\"", event);
        }
        if (STARTED.equals(event)) {
            if (exitCode != null || durationMs != null || summary != null) {
                throw new InvalidInputException("event", "no exitCode, durationMs or summary with \"started\"", event);
            }
        } else {
            if (exitCode == null || exitCode < KILLED_AT_TIME_LIMIT || exitCode > 255) {
                throw new InvalidInputException("exitCode", "a whole number from -1 to 255", exitCode);
            }
            if (durationMs == null || durationMs < 0) {
                throw new InvalidInputException("durationMs", "a whole number of 0 or more", durationMs);
            }
            summary = summary == null ? "" : summary;
            int bytes = summary.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > MAX_SUMMARY_BYTES) {
                throw new InvalidInputException("summary", "at most " + MAX_SUMMARY_BYTES + " bytes of UTF-8",
                        bytes + " bytes");
            }
        }
    }

    public static TaskReport started() {
        return new TaskReport(STARTED, null, null, null);
    }

    public static TaskReport finished(int exitCode, long durationMs, String summary) {
        return new TaskReport(FINISHED, exitCode, durationMs, summary);
    }

    public boolean isFinished() {
        return FINISHED.equals(event);
    }

    /** Reads a request body; every field is named in errors as it is spelled on the wire. */
    public static TaskReport fromJson(Object body) {
        JsonFields fields = JsonFields.of(body, "");
        fields.allowOnly(FIELDS);
        Integer version = fields.integer("protocolVersion", null);
        if (version == null || version != Protocol.VERSION) {
            throw new InvalidInputException("protocolVersion", String.valueOf(Protocol.VERSION),
                    JsonFields.shown(fields.value("protocolVersion")));
        }
        Long duration = fields.longValue("durationMs", null);
        return new TaskReport(fields.requiredString("event"), fields.integer("exitCode", null), duration,
                fields.has("summary") ? fields.string("summary", "") : null);
    }

    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("protocolVersion", Protocol.VERSION);
        json.put("event", event);
        if (isFinished()) {
            json.put("exitCode", exitCode);
            json.put("durationMs", durationMs);
            json.put("summary", summary);
        }
        return json;
    }
}
