package clf.protocol;

/**
 * The kinds of failure the bot API reports, each with its one HTTP status. Error bodies are
 * {@code {"protocolVersion":1,"error":{"message":…,"code":…}}}.
 */
public enum ErrorCode {
    INVALID_INPUT(400, "invalid_input"),
    FORBIDDEN(403, "forbidden"),
    NOT_FOUND(404, "not_found"),
    METHOD_NOT_ALLOWED(405, "method_not_allowed"),
    NOT_CANCELABLE(409, "not_cancelable"),
    /** A request that contradicts what was recorded before, e.g. a task reported started after it finished (issue 13). */
    CONFLICT(409, "conflict"),
    TOO_LARGE(413, "too_large"),
    /** A per-requester limit (issue 11); the error names the limit, and {@code Retry-After} says when time helps. */
    QUOTA_EXCEEDED(429, "quota_exceeded"),
    INTERNAL(500, "internal"),
    UNAVAILABLE(503, "unavailable");

    private final int httpStatus;
    private final String wireName;

    ErrorCode(int httpStatus, String wireName) {
        this.httpStatus = httpStatus;
        this.wireName = wireName;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public String wireName() {
        return wireName;
    }
}
