package clf.queue;

import clf.protocol.InvalidInputException;
import clf.protocol.RequesterName;
import clf.queue.internal.JsonText;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * What a caller asks the queue to run. Validated on construction, so a {@code NewJob} that
 * exists is one the store will accept.
 *
 * @param kind           what handler runs it, e.g. {@code cattle.spawn}
 * @param requester      who asked; idempotency keys are scoped per requester
 * @param payloadJson    the handler's input, as JSON text
 * @param idempotencyKey the caller's key for "the same request"; {@code null} for none
 * @param runAt          not before this instant; {@code null} for now
 * @param priority       higher runs first
 * @param maxAttempts    how many times a failing job is tried before it is {@code failed}
 */
public record NewJob(
        String kind,
        String requester,
        String payloadJson,
        String idempotencyKey,
        Instant runAt,
        int priority,
        int maxAttempts) {

    public static final int MAX_PAYLOAD_BYTES = 256 * 1024;
    public static final int MAX_ATTEMPTS_LIMIT = 100;
    public static final int MAX_IDEMPOTENCY_KEY_CHARS = 200;

    private static final Pattern KIND = Pattern.compile("[a-z][a-z0-9_-]*(\\.[a-z][a-z0-9_-]*)*");
    private static final Pattern PRINTABLE = Pattern.compile("[^\\p{Cntrl}]+");

    public NewJob {
        requireKind(kind);
        RequesterName.require("requester", requester);
        if (payloadJson == null) {
            throw new InvalidInputException("payload", "a JSON value", null);
        }
        JsonText.requireValid("payload", payloadJson, MAX_PAYLOAD_BYTES);
        if (idempotencyKey != null && idempotencyKey.isEmpty()) {
            idempotencyKey = null;
        }
        if (idempotencyKey != null
                && (idempotencyKey.length() > MAX_IDEMPOTENCY_KEY_CHARS
                        || !PRINTABLE.matcher(idempotencyKey).matches()
                        || !idempotencyKey.strip().equals(idempotencyKey))) {
            throw new InvalidInputException("idempotencyKey",
                    "up to " + MAX_IDEMPOTENCY_KEY_CHARS
                            + " printable chars without leading or trailing spaces",
                    idempotencyKey);
        }
        if (maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS_LIMIT) {
            throw new InvalidInputException("maxAttempts", "1–" + MAX_ATTEMPTS_LIMIT, maxAttempts);
        }
    }

    /** A job to run now, once, at priority 0, without an idempotency key. */
    public static NewJob of(String kind, String requester, String payloadJson) {
        return new NewJob(kind, requester, payloadJson, null, null, 0, 1);
    }

    public NewJob withIdempotencyKey(String key) {
        return new NewJob(kind, requester, payloadJson, key, runAt, priority, maxAttempts);
    }

    public NewJob withRunAt(Instant at) {
        return new NewJob(kind, requester, payloadJson, idempotencyKey, at, priority, maxAttempts);
    }

    public NewJob withPriority(int newPriority) {
        return new NewJob(kind, requester, payloadJson, idempotencyKey, runAt, newPriority, maxAttempts);
    }

    public NewJob withMaxAttempts(int attempts) {
        return new NewJob(kind, requester, payloadJson, idempotencyKey, runAt, priority, attempts);
    }

    /** Checks a job kind: dot-separated lower-case words, up to 64 chars. */
    public static String requireKind(String kind) {
        if (kind == null || kind.length() > 64 || !KIND.matcher(kind).matches()) {
            throw new InvalidInputException("kind",
                    "dot-separated words of [a-z0-9_-], starting with a letter, up to 64 chars", kind);
        }
        return kind;
    }
}
