package clf.cli;

import clf.protocol.InvalidInputException;

/**
 * Why a command did not succeed, with the exit code it ends with. Thrown by commands and the
 * client; {@link ErrorHandler} is the one place that turns it (or any other exception) into
 * output and an exit code.
 */
final class Failure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int exitCode;
    private final String code;
    private final int httpStatus;

    private Failure(int exitCode, String code, int httpStatus, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
        this.code = code;
        this.httpStatus = httpStatus;
    }

    /** The request was refused or failed (exit 2); {@code code} may be null. */
    static Failure refused(String code, String message) {
        return new Failure(Main.REFUSED, code, 0, message);
    }

    /** The daemon answered with a non-2xx status; {@code code} is its error code, or null. */
    static Failure http(int status, String code, String message) {
        return new Failure(Main.REFUSED, code, status, message);
    }

    /** Input refused before anything was sent, e.g. {@code --ttl: a duration like …}. */
    static Failure invalid(String message) {
        return refused("invalid_input", message);
    }

    /**
     * A protocol-package validation error re-worded to name the flag instead of the field, e.g.
     * {@code payload.image: …} becomes {@code --image: …}.
     */
    static Failure invalid(InvalidInputException e, String flag) {
        String message = e.getMessage();
        if (message.startsWith(e.field())) {
            message = flag + message.substring(e.field().length());
        }
        return invalid(message);
    }

    /** The orchestrator cannot be reached (exit 3). */
    static Failure unreachable(String code, String message) {
        return new Failure(Main.UNREACHABLE, code, 0, message);
    }

    /** The orchestrator has no route for this command: an older version (exit 5). */
    static Failure unsupported(String code, String message) {
        return new Failure(Main.UNSUPPORTED, code, 0, message);
    }

    /** {@code wait} gave up, or the job ended other than done (exit 4). */
    static Failure notDone(String code, String message) {
        return new Failure(Main.NOT_DONE, code, 0, message);
    }

    int exitCode() {
        return exitCode;
    }

    /** A machine-readable reason such as {@code not_found} or {@code no_socket}; null if none. */
    String code() {
        return code;
    }

    /** The HTTP status the daemon answered with; 0 when there was no HTTP answer. */
    int httpStatus() {
        return httpStatus;
    }
}
