package clf.hetzner;

import java.util.Set;

/** Hetzner answered with an error status ({@code {"error":{"code","message"}}}). */
public final class HetznerApiException extends HetznerException {
    /** Codes that describe a passing state rather than a wrong request (see hcloud's error table). */
    private static final Set<String> TRANSIENT_CODES = Set.of("locked", "conflict", "rate_limit_exceeded",
            "server_error", "service_error", "unavailable", "timeout", "maintenance", "robot_unavailable");

    private final int status;
    private final String code;
    private final String apiMessage;

    /**
     * @param apiMessage Hetzner's message, already shortened and scrubbed of secrets
     * @param note       extra context for the message such as "after 4 attempts", or {@code ""}
     */
    public HetznerApiException(String method, String path, int status, String code, String apiMessage, String note) {
        super(method, path, describe(status, code, apiMessage, note), null);
        this.status = status;
        this.code = code == null ? "" : code;
        this.apiMessage = apiMessage == null ? "" : apiMessage;
    }

    private static String describe(int status, String code, String message, String note) {
        StringBuilder text = new StringBuilder("HTTP ").append(status);
        if (code != null && !code.isEmpty()) {
            text.append(' ').append(code);
        }
        if (message != null && !message.isEmpty()) {
            text.append(": ").append(message);
        }
        if (note != null && !note.isEmpty()) {
            text.append(" (").append(note).append(')');
        }
        return text.toString();
    }

    public int status() {
        return status;
    }

    /** Hetzner's machine-readable code, e.g. {@code uniqueness_error}; {@code ""} if the body had none. */
    public String code() {
        return code;
    }

    /** Hetzner's human-readable message, shortened and scrubbed. */
    public String apiMessage() {
        return apiMessage;
    }

    /** Whether the status or code describes a transient condition the client also retries. */
    public static boolean isTransient(int status, String code) {
        return status == 429 || status >= 500 || TRANSIENT_CODES.contains(code);
    }

    @Override
    public boolean retryable() {
        return isTransient(status, code);
    }
}
