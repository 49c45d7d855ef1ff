package clf.protocol;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What a cattle VM is asked to do (task schema version 1).
 *
 * @param taskId      the caller's id for the task (trimmed, 1–128 chars)
 * @param message     the prompt for the agent (trimmed, 1–16384 chars)
 * @param callbackUrl {@code ""} or an http(s) URL; never passed to the VM
 */
public record Task(String taskId, String message, String callbackUrl) {
    public static final int SCHEMA_VERSION = 1;
    public static final String TYPE = "clawdbot.gateway.agent";
    public static final int MAX_MESSAGE_CHARS = 16_384;
    private static final Set<String> FIELDS = Set.of("schemaVersion", "taskId", "type", "message", "callbackUrl");

    /** Reads a task object; {@code path} names it in errors (e.g. {@code payload.task}). */
    public static Task fromJson(Object json, String path) {
        JsonFields fields = JsonFields.of(json, path);
        fields.allowOnly(FIELDS);
        Integer version = fields.integer("schemaVersion", SCHEMA_VERSION);
        if (version != SCHEMA_VERSION) {
            throw new InvalidInputException(fields.field("schemaVersion"), "1", version);
        }
        String type = fields.string("type", TYPE);
        if (!TYPE.equals(type)) {
            throw new InvalidInputException(fields.field("type"), "\"" + TYPE + "\"", type);
        }
        String taskId = fields.requiredString("taskId").strip();
        if (taskId.isEmpty() || taskId.length() > 128) {
            throw new InvalidInputException(fields.field("taskId"), "1–128 chars", taskId);
        }
        String message = fields.requiredString("message").strip();
        if (message.isEmpty() || message.length() > MAX_MESSAGE_CHARS) {
            throw new InvalidInputException(fields.field("message"), "1–" + MAX_MESSAGE_CHARS + " chars",
                    message.length() + " chars");
        }
        String callbackUrl = fields.string("callbackUrl", "").strip();
        if (!callbackUrl.isEmpty() && !callbackUrl.matches("https?://\\S{1,2040}")) {
            throw new InvalidInputException(fields.field("callbackUrl"), "\"\" or an http(s) URL", callbackUrl);
        }
        return new Task(taskId, message, callbackUrl);
    }

    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("schemaVersion", SCHEMA_VERSION);
        json.put("taskId", taskId);
        json.put("type", TYPE);
        json.put("message", message);
        json.put("callbackUrl", callbackUrl);
        return json;
    }
}
