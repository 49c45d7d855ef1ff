package clf.protocol;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The payload of {@code cattle.reap}: with {@code dryRun}, report what would be deleted and delete
 * nothing.
 *
 * @param fleetWide true: every managed server, not only the requester's own (operators only; an
 *                  operator's reap is fleet-wide unless it says {@code false}); null when not given
 */
public record ReapPayload(boolean dryRun, Boolean fleetWide) {
    private static final Set<String> FIELDS = Set.of("dryRun", "fleetWide");

    public ReapPayload(boolean dryRun) {
        this(dryRun, null);
    }

    /** Reads the payload; an absent payload is an ordinary reap. */
    public static ReapPayload fromJson(Object json) {
        if (json == null) {
            return new ReapPayload(false);
        }
        JsonFields fields = JsonFields.of(json, "payload");
        fields.allowOnly(FIELDS);
        return new ReapPayload(fields.bool("dryRun", false), fields.bool("fleetWide", null));
    }

    /** v1's {@code {"dryRun":…}}, with {@code fleetWide} only when given. */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("dryRun", dryRun);
        if (fleetWide != null) {
            json.put("fleetWide", fleetWide);
        }
        return json;
    }
}
