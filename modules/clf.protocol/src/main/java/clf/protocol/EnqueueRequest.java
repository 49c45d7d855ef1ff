package clf.protocol;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The body of {@code POST /v1/jobs/enqueue}, validated, with the payload normalised for its kind.
 * Unknown top-level keys are ignored, as in v1; unknown payload keys are refused.
 *
 * @param requester      {@code null}: the caller's own name
 * @param idempotencyKey {@code ""} for none
 * @param runAt          {@code null}: now
 * @param maxAttempts    {@code null}: the kind's default
 */
public record EnqueueRequest(
        String requester,
        String idempotencyKey,
        JobKind kind,
        Map<String, Object> payload,
        Instant runAt,
        int priority,
        Integer maxAttempts) {

    public static final int MAX_ATTEMPTS = 10;

    public EnqueueRequest {
        if (requester != null) {
            RequesterName.require("requester", requester);
        }
        if (maxAttempts != null && (maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS)) {
            throw new InvalidInputException("maxAttempts", "1–" + MAX_ATTEMPTS, maxAttempts);
        }
        payload = Collections.unmodifiableMap(new LinkedHashMap<>(payload)); // keeps v1's field order
    }

    public static EnqueueRequest fromJson(Object body) {
        JsonFields fields = JsonFields.of(body, "");
        Integer version = fields.integer("protocolVersion", null);
        if (version == null || version != Protocol.VERSION) {
            throw new InvalidInputException("protocolVersion", String.valueOf(Protocol.VERSION),
                    JsonFields.shown(fields.value("protocolVersion")));
        }
        String requester = fields.string("requester", "").strip();
        JobKind kind = JobKind.parse("kind", fields.requiredString("kind").strip());
        String runAt = fields.string("runAt", "").strip();
        return new EnqueueRequest(
                requester.isEmpty() ? null : requester,
                fields.string("idempotencyKey", "").strip(),
                kind,
                normalizedPayload(kind, fields.value("payload")),
                runAt.isEmpty() ? null : WireTime.parse("runAt", runAt),
                fields.integer("priority", 0),
                fields.integer("maxAttempts", null));
    }

    /** The payload checked against its kind's schema, with defaults filled in. */
    public static Map<String, Object> normalizedPayload(JobKind kind, Object payload) {
        return switch (kind) {
            case CATTLE_SPAWN -> SpawnPayload.fromJson(payload).toJson();
            case CATTLE_REAP -> ReapPayload.fromJson(payload).toJson();
            // The daemon's own kinds never come over the wire; it stores them itself.
            case CLF_PRUNE -> throw new InvalidInputException("kind", "one of " + JobKind.CHOICES, kind.wireName());
        };
    }

    /** The request as the CLI sends it; fields in the order of v1. */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("protocolVersion", Protocol.VERSION);
        if (requester != null) {
            json.put("requester", requester);
        }
        json.put("idempotencyKey", idempotencyKey);
        json.put("kind", kind.wireName());
        json.put("payload", payload);
        json.put("runAt", runAt == null ? "" : WireTime.format(runAt));
        json.put("priority", priority);
        if (maxAttempts != null) {
            json.put("maxAttempts", maxAttempts);
        }
        return json;
    }
}
