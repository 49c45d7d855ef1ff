package clf.server.protocol;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The payload of {@code cattle.reap}: with {@code dryRun}, report what would be deleted and delete nothing. */
public record ReapPayload(boolean dryRun) {
    private static final Set<String> FIELDS = Set.of("dryRun");

    /** Reads the payload; an absent payload is an ordinary reap. */
    public static ReapPayload fromJson(Object json) {
        if (json == null) {
            return new ReapPayload(false);
        }
        JsonFields fields = JsonFields.of(json, "payload");
        fields.allowOnly(FIELDS);
        return new ReapPayload(fields.bool("dryRun", false));
    }

    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("dryRun", dryRun);
        return json;
    }
}
