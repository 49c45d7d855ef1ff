package clf.protocol;

/**
 * A request the daemon refuses, with the code that decides its HTTP status and a message for
 * the caller. The message never carries internals or secrets.
 */
public final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public ApiException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
